import Dispatch

/// Pure computations spread over the processor's cores, with results in input order (also used by
/// the git reader for the work tree's file reads).
package enum Parallel {
    /// Items per chunk: enough work per chunk to pay for handing it to a thread, and enough
    /// chunks to keep the cores busy when models differ in cost.
    package static let chunkSize = 48

    /// `transform` applied to consecutive chunks of `items`; the chunks' results in order. With
    /// `parallel` and more than one chunk, chunks run concurrently on the cores; `width`, when
    /// given, is the most chunks that run at once (`mlicense audit --jobs`).
    package static func map<T: Sendable, R: Sendable>(_ items: [T], parallel: Bool, chunkSize: Int = Parallel.chunkSize,
                                              width: Int? = nil,
                                              _ transform: @escaping @Sendable (ArraySlice<T>) -> R) -> [R] {
        let chunks = (items.count + chunkSize - 1) / chunkSize
        guard parallel, chunks > 1, width ?? 2 > 1 else {
            return stride(from: 0, to: items.count, by: chunkSize).map {
                transform(items[$0..<min($0 + chunkSize, items.count)])
            }
        }
        let slots = Slots<R>(count: chunks)
        defer { slots.free() }
        if let width, width < chunks {
            // `width` workers, each taking every width-th chunk.
            DispatchQueue.concurrentPerform(iterations: width) { w in
                for i in stride(from: w, to: chunks, by: width) {
                    let start = i * chunkSize
                    slots.set(i, transform(items[start..<min(start + chunkSize, items.count)]))
                }
            }
            return slots.values()
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { i in
            let start = i * chunkSize
            slots.set(i, transform(items[start..<min(start + chunkSize, items.count)]))
        }
        return slots.values()
    }
}

extension Parallel {
    /// `first()` and `second()`, on two cores at once with `parallel`, else one after the other.
    package static func both<A: Sendable, B: Sendable>(parallel: Bool, _ first: @escaping @Sendable () -> A,
                                                       _ second: @escaping @Sendable () -> B) -> (A, B) {
        guard parallel else { return (first(), second()) }
        let a = Slots<A>(count: 1), b = Slots<B>(count: 1)
        defer { a.free(); b.free() }
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 { a.set(0, first()) } else { b.set(0, second()) }
        }
        return (a.values()[0], b.values()[0])
    }

    /// Drops `value` on another thread: the last references to a large structure (a run's cards
    /// and models) are released there, so that freeing its many small allocations overlaps the
    /// caller's next step instead of delaying it. The caller must hand over its last reference
    /// (`consume`).
    static func release<T: Sendable>(_ value: consuming T) {
        let box = ReleaseBox(value)
        DispatchQueue.global(qos: .utility).async { box.drop() }
    }
}

/// A value on its way to be released on another thread.
private final class ReleaseBox<T: Sendable>: @unchecked Sendable {  // touched by one thread at a time
    private var value: T?
    init(_ value: consuming T) { self.value = value }
    func drop() { value = nil }
}

/// One result slot per chunk. Each concurrent iteration writes only its own slot, and the slots
/// are read after `concurrentPerform` returns (which orders the writes before the reads).
private struct Slots<R: Sendable>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<R?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    func set(_ i: Int, _ value: R) { buffer[i] = value }

    func values() -> [R] { buffer.map { $0! } }

    func free() {
        buffer.deinitialize()
        buffer.deallocate()
    }
}
