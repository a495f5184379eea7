import MLicenseCore

/// Appends GGUF primitives to a byte buffer, in either byte order.
public struct GGUFByteWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8] = []
    /// Whether numbers are written big-endian.
    public var bigEndian: Bool

    /// Creates an empty writer.
    public init(bigEndian: Bool = false) {
        self.bigEndian = bigEndian
    }

    /// Appends raw bytes.
    public mutating func raw(_ b: [UInt8]) { bytes += b }

    /// Appends one byte.
    public mutating func u8(_ v: UInt8) { bytes.append(v) }

    /// Appends a uint16.
    public mutating func u16(_ v: UInt16) { int(v) }

    /// Appends a uint32.
    public mutating func u32(_ v: UInt32) { int(v) }

    /// Appends a uint64.
    public mutating func u64(_ v: UInt64) { int(v) }

    /// Appends an unsigned integer in the writer's byte order.
    public mutating func int<T: FixedWidthInteger & UnsignedInteger>(_ v: T) {
        let size = MemoryLayout<T>.size
        for i in 0..<size {
            let shift = bigEndian ? (size - 1 - i) * 8 : i * 8
            bytes.append(UInt8(truncatingIfNeeded: v >> shift))
        }
    }

    /// Appends a gguf string: uint64 length and the UTF-8 bytes.
    public mutating func string(_ s: String) { string(Array(s.utf8)) }

    /// Appends a gguf string made of arbitrary bytes.
    public mutating func string(_ b: [UInt8]) {
        u64(UInt64(b.count))
        bytes += b
    }

    /// Appends a value without its type code. An array writes its declared `count` and the given
    /// items (so a test can declare more elements than it writes).
    public mutating func value(_ v: GGUFValue) {
        switch v {
        case .uint8(let x): u8(x)
        case .int8(let x): u8(UInt8(bitPattern: x))
        case .uint16(let x): u16(x)
        case .int16(let x): u16(UInt16(bitPattern: x))
        case .uint32(let x): u32(x)
        case .int32(let x): u32(UInt32(bitPattern: x))
        case .float32(let x): u32(x.bitPattern)
        case .bool(let x): u8(x ? 1 : 0)
        case .string(let s): string(s)
        case .uint64(let x): u64(x)
        case .int64(let x): u64(UInt64(bitPattern: x))
        case .float64(let x): u64(x.bitPattern)
        case .array(let elementType, let count, let items):
            u32(elementType.rawValue)
            u64(count)
            for item in items ?? [] { value(item) }
        }
    }
}

/// Builds GGUF files in memory: header, key-value pairs, tensor infos, padding and tensor data.
public struct GGUFBuilder: Sendable {
    /// One key-value pair to write.
    public enum Pair: Sendable {
        /// A typed value.
        case value(String, GGUFValue)
        /// A key, a raw type code and raw payload bytes (for malformed files).
        case raw(key: [UInt8], type: UInt32, payload: [UInt8])
    }

    /// One tensor-info record.
    public struct Tensor: Sendable {
        /// The tensor's name.
        public var name: String
        /// Its dimensions.
        public var dimensions: [UInt64]
        /// The `ggml_type` (0 = F32).
        public var type: UInt32
        /// The byte size of its data (written as zeros).
        public var byteCount: Int

        /// Creates a record.
        public init(name: String, dimensions: [UInt64], type: UInt32 = 0, byteCount: Int) {
            self.name = name
            self.dimensions = dimensions
            self.type = type
            self.byteCount = byteCount
        }
    }

    /// The version written.
    public var version: UInt32
    /// Whether the file is big-endian.
    public var bigEndian: Bool
    /// The pairs, in order.
    public var pairs: [Pair] = []
    /// The tensor infos, in order.
    public var tensors: [Tensor] = []
    /// When set, written as the metadata count instead of the number of pairs.
    public var metadataCountOverride: UInt64?
    /// When set, written as the tensor count instead of the number of tensors.
    public var tensorCountOverride: UInt64?
    /// The data alignment (`general.alignment`, default 32).
    public var alignment = 32

    /// Creates an empty version-3 little-endian file.
    public init(version: UInt32 = 3, bigEndian: Bool = false) {
        self.version = version
        self.bigEndian = bigEndian
    }

    /// Adds a pair.
    public mutating func add(_ key: String, _ value: GGUFValue) { pairs.append(.value(key, value)) }

    /// Returns a copy with a pair added.
    public func adding(_ key: String, _ value: GGUFValue) -> GGUFBuilder {
        var copy = self
        copy.add(key, value)
        return copy
    }

    /// Adds a malformed or unusual pair: raw key bytes, any type code, raw payload.
    public mutating func addRaw(key: [UInt8], type: UInt32, payload: [UInt8]) {
        pairs.append(.raw(key: key, type: type, payload: payload))
    }

    /// Adds a tensor of 32-bit floats with the given dimensions.
    public mutating func addTensor(_ name: String, dimensions: [UInt64]) {
        let elements = dimensions.reduce(1, *)
        tensors.append(Tensor(name: name, dimensions: dimensions, type: 0, byteCount: Int(elements) * 4))
    }

    /// The file's bytes.
    public func build() -> [UInt8] {
        var w = GGUFByteWriter(bigEndian: bigEndian)
        w.raw([0x47, 0x47, 0x55, 0x46])
        w.u32(version)
        w.u64(tensorCountOverride ?? UInt64(tensors.count))
        w.u64(metadataCountOverride ?? UInt64(pairs.count))
        for pair in pairs {
            switch pair {
            case .value(let key, let value):
                w.string(key)
                w.u32(value.type.rawValue)
                w.value(value)
            case .raw(let key, let type, let payload):
                w.string(key)
                w.u32(type)
                w.raw(payload)
            }
        }
        var offset: UInt64 = 0
        for t in tensors {
            w.string(t.name)
            w.u32(UInt32(t.dimensions.count))
            for d in t.dimensions { w.u64(d) }
            w.u32(t.type)
            w.u64(offset)
            offset += UInt64((t.byteCount + alignment - 1) / alignment * alignment)
        }
        while w.bytes.count % alignment != 0 { w.u8(0) }
        for t in tensors {
            w.raw([UInt8](repeating: 0, count: t.byteCount))
            while w.bytes.count % alignment != 0 { w.u8(0) }
        }
        return w.bytes
    }
}
