/// The fields of a value kept in one box that its copies share: copying the value costs one
/// reference count instead of one per string and array. ``Finding``, ``ModelSummary``,
/// ``LicenseRecord``, ``ResolvedBase`` and ``SnapshotFile`` keep theirs here, since the pipeline
/// hands on, merges, sorts and filters thousands of them.
///
/// A change goes through ``unique(_:)``: in place when the value is the box's only owner, else in
/// a copy of the box.
final class CopyOnWriteBox<Fields: Sendable>: @unchecked Sendable {  // mutated only while uniquely referenced
    var fields: Fields

    init(_ fields: Fields) {
        self.fields = fields
    }

    /// `box` when nothing else holds it, else a copy put in its place.
    static func unique(_ box: inout CopyOnWriteBox) -> CopyOnWriteBox {
        if !isKnownUniquelyReferenced(&box) { box = CopyOnWriteBox(box.fields) }
        return box
    }
}
