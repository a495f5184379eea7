/// One ref update git announces to a pre-push hook.
public struct PushUpdate: Sendable, Hashable {
    /// The local ref (`refs/heads/main`, `(delete)`, or what the user typed).
    public var localRef: String
    /// The commit being pushed.
    public var localOID: String
    /// The remote ref.
    public var remoteRef: String
    /// The commit the remote has, nil for a new remote ref.
    public var remoteOID: String?

    /// Creates an update.
    public init(localRef: String, localOID: String, remoteRef: String, remoteOID: String?) {
        self.localRef = localRef
        self.localOID = localOID
        self.remoteRef = remoteRef
        self.remoteOID = remoteOID
    }

    /// Parses git's pre-push lines (`man githooks`): `<local ref> SP <local oid> SP <remote ref> SP
    /// <remote oid> LF`, SHA-1 or SHA-256 object names; an all-zero local oid is a deletion and
    /// pushes nothing (left out); an all-zero remote oid is a new ref. Malformed lines are skipped.
    /// The local ref may contain spaces (typed as `HEAD~1` it appears as typed), so the fields are
    /// taken from the right.
    public static func parse(_ text: String) -> [PushUpdate] {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).compactMap { line in
            var fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count >= 4 else { return nil }
            let remoteOID = fields.removeLast(), remoteRef = fields.removeLast(), localOID = fields.removeLast()
            let localRef = fields.joined(separator: " ")
            guard isObjectID(localOID), isObjectID(remoteOID), localOID.count == remoteOID.count, !isZero(localOID) else { return nil }
            return PushUpdate(localRef: localRef, localOID: String(localOID), remoteRef: String(remoteRef),
                              remoteOID: isZero(remoteOID) ? nil : String(remoteOID))
        }
    }

    static func isObjectID(_ s: Substring) -> Bool {
        (s.utf8.count == 40 || s.utf8.count == 64) && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    static func isZero(_ s: Substring) -> Bool { s.utf8.allSatisfy { $0 == 0x30 } }
}
