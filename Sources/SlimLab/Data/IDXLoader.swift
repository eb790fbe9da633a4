import SlimKernels

/// Reads the IDX format of MNIST and Fashion-MNIST: one file of images, one file of labels.
///
/// An IDX file is a 4-byte magic number — two zero bytes, an element type code, the number of
/// dimensions — then each dimension as a big-endian 32-bit integer, then the elements in
/// row-major order, big-endian. MNIST's `train-images-idx3-ubyte` is 60000×28×28 unsigned bytes
/// (type 08); `train-labels-idx1-ubyte` is 60000 unsigned bytes. Every size is checked against
/// the file's length before anything is read, so a damaged file gives an error, never a crash
/// or a huge allocation.
public enum IDXLoader {
    /// The element types an IDX file may declare.
    public enum ElementType: UInt8, Sendable, CaseIterable {
        case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .uint8, .int8: return 1
            case .int16: return 2
            case .int32, .float32: return 4
            case .float64: return 8
            }
        }

        /// The name used in messages.
        public var name: String {
            switch self {
            case .uint8: return "unsigned byte"
            case .int8: return "signed byte"
            case .int16: return "int16"
            case .int32: return "int32"
            case .float32: return "float32"
            case .float64: return "float64"
            }
        }

        var isInteger: Bool { self != .float32 && self != .float64 }
    }

    /// The largest element count accepted, a guard against damaged headers (MNIST's training
    /// images are 47 million).
    public static let elementLimit = 1 << 31

    /// Loads an images file and its labels file.
    ///
    /// Images of shape `[n, h, w]` become samples of shape `[1, h, w]`; `[n, c, h, w]` keeps
    /// `[c, h, w]`; `[n, d]` gives `[d]`.
    /// - Parameters:
    ///   - classNames: names for labels 0, 1, …; `nil` names them by number, up to the largest label.
    /// - Throws: ``DatasetError`` naming the file and what is wrong with it.
    public static func load(images: String, labels: String, classNames: [String]? = nil,
                            name: String? = nil) throws -> Dataset {
        try parse(images: DatasetFile.read(images), imagesPath: images,
                  labels: DatasetFile.read(labels), labelsPath: labels,
                  classNames: classNames, name: name)
    }

    /// Builds a dataset from the bytes of an images file and a labels file; the paths are only
    /// used in messages and for the default name.
    public static func parse(images imageBytes: [UInt8], imagesPath: String,
                             labels labelBytes: [UInt8], labelsPath: String,
                             classNames: [String]? = nil, name: String? = nil) throws -> Dataset {
        let images = try Header(imageBytes, path: imagesPath)
        guard images.dimensions.count >= 2 && images.dimensions.count <= 4 else {
            throw DatasetError.dimensionMismatch(path: imagesPath, expected: "an images file has 2 to 4 dimensions (samples × features, samples × height × width, or samples × channels × height × width)", found: images.dimensions)
        }
        let labels = try Header(labelBytes, path: labelsPath)
        guard labels.dimensions.count == 1 else {
            throw DatasetError.dimensionMismatch(path: labelsPath, expected: "a labels file has 1 dimension (one label per sample)", found: labels.dimensions)
        }
        guard labels.type.isInteger else {
            throw DatasetError.labelsNotIntegers(path: labelsPath, elementType: labels.type.name)
        }
        let sampleCount = images.dimensions[0]
        guard labels.dimensions[0] == sampleCount else {
            throw DatasetError.countMismatch(images: imagesPath, imageCount: sampleCount,
                                             labels: labelsPath, labelCount: labels.dimensions[0])
        }

        let featureCount = images.elementCount / sampleCount
        let features = try Tensor<Float>(shape: [sampleCount, featureCount]) { buffer in
            try images.decode(imageBytes, into: buffer, path: imagesPath, featureCount: featureCount)
        }
        // Read as integers, never through Float: 2147483647 has no Float of its own.
        let encoded = try ClassLabels.fromIntegers(labels.integers(labelBytes), path: labelsPath,
                                                   classNames: classNames, locate: { "sample \($0)" })

        let sampleShape: [Int]
        switch images.dimensions.count {
        case 2: sampleShape = [featureCount]
        case 3: sampleShape = [1] + images.dimensions[1...]
        default: sampleShape = Array(images.dimensions[1...])
        }
        let featureNames: [String]
        if sampleShape.count == 3 {
            let (height, width) = (sampleShape[1], sampleShape[2])
            featureNames = (0..<featureCount).map { index in
                let channel = index / (height * width), pixel = index % (height * width)
                let position = "\(pixel / width)_\(pixel % width)"
                return sampleShape[0] == 1 ? "pixel_\(position)" : "pixel_\(channel)_\(position)"
            }
        } else {
            featureNames = (0..<featureCount).map { "feature_\($0)" }
        }
        return Dataset(name: name ?? DatasetFile.baseName(imagesPath), features: features,
                       labels: encoded.labels, sampleShape: sampleShape,
                       featureNames: featureNames, classNames: encoded.classNames)
    }

    /// Whether `bytes` begin like an IDX file: two zero bytes, which no text file starts with.
    /// Checked before CSV is tried, so an IDX file with a bad type code or dimension count gets
    /// an IDX error rather than a CSV parser's complaint about binary text.
    public static func looksLikeIDX(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0 && bytes[1] == 0
    }

    /// The labels file that goes with an images file, by MNIST's naming
    /// (`train-images-idx3-ubyte` → `train-labels-idx1-ubyte`, `t10k-images.idx3-ubyte` →
    /// `t10k-labels.idx1-ubyte`).
    /// - Throws: ``DatasetError/labelsFileNotFound(images:tried:)`` listing the names tried.
    public static func labelsPath(forImages imagesPath: String) throws -> String {
        let slash = imagesPath.lastIndex(of: "/")
        let folder = slash.map { String(imagesPath[...$0]) } ?? ""
        let file = slash.map { String(imagesPath[imagesPath.index(after: $0)...]) } ?? imagesPath
        var candidates: [String] = []
        for candidate in [
            file.replacing("images", with: "labels").replacing("idx3", with: "idx1"),
            file.replacing("images", with: "labels"),
            file.replacing("idx3", with: "idx1"),
            file.replacing("Images", with: "Labels").replacing("idx3", with: "idx1"),
        ] where candidate != file && !candidates.contains(folder + candidate) {
            candidates.append(folder + candidate)
        }
        if let found = candidates.first(where: fileExists(atPath:)) { return found }
        throw DatasetError.labelsFileNotFound(images: imagesPath, tried: candidates)
    }

    // MARK: - The header

    /// A validated IDX header: element type, dimensions, and where the data starts.
    struct Header {
        var type: ElementType
        var dimensions: [Int]
        var dataOffset: Int
        var elementCount: Int

        init(_ bytes: [UInt8], path: String) throws {
            guard bytes.count >= 4 else {
                if bytes.allSatisfy({ $0 == 0 }) {
                    throw DatasetError.truncated(path: path, expectedBytes: 4, actualBytes: bytes.count,
                                                 detail: "the magic number and dimension count")
                }
                throw DatasetError.badMagic(path: path, bytes: bytes)
            }
            guard bytes[0] == 0 && bytes[1] == 0 else {
                throw DatasetError.badMagic(path: path, bytes: Array(bytes[0..<4]))
            }
            guard let type = ElementType(rawValue: bytes[2]) else {
                throw DatasetError.unknownElementType(path: path, code: bytes[2])
            }
            let rank = Int(bytes[3])
            guard rank >= 1 else {
                throw DatasetError.dimensionMismatch(path: path, expected: "an IDX file needs at least 1 dimension", found: [])
            }
            let headerSize = 4 + 4 * rank
            guard bytes.count >= headerSize else {
                throw DatasetError.truncated(path: path, expectedBytes: headerSize, actualBytes: bytes.count,
                                             detail: "the header's \(rank) dimensions")
            }
            let dimensions = (0..<rank).map { d in
                let at = 4 + 4 * d
                return Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            }
            var count = 1
            for size in dimensions {
                let (product, overflow) = count.multipliedReportingOverflow(by: size)
                guard !overflow, product <= IDXLoader.elementLimit else {
                    throw DatasetError.absurdSize(path: path, detail: "the header's dimensions \(dimensions.map(String.init).joined(separator: "×")) make more than \(IDXLoader.elementLimit) elements")
                }
                count = product
            }
            guard !dimensions.contains(0) else {
                throw DatasetError.dimensionMismatch(path: path, expected: "every dimension must be at least 1", found: dimensions)
            }
            let expected = headerSize + count * type.size
            let detail = "the header's \(dimensions.map(String.init).joined(separator: "×")) \(type.name) elements after a \(headerSize)-byte header"
            if bytes.count < expected {
                throw DatasetError.truncated(path: path, expectedBytes: expected, actualBytes: bytes.count, detail: detail)
            }
            if bytes.count > expected {
                throw DatasetError.trailingBytes(path: path, expectedBytes: expected, actualBytes: bytes.count)
            }
            self.type = type
            self.dimensions = dimensions
            self.dataOffset = headerSize
            self.elementCount = count
        }

        /// Every element of an integer file as it is written (for labels).
        func integers(_ bytes: [UInt8]) -> [Int] {
            precondition(type.isInteger)
            let data = bytes[dataOffset...]
            let base = data.startIndex
            return (0..<elementCount).map { i in
                switch type {
                case .uint8: return Int(data[base + i])
                case .int8: return Int(Int8(bitPattern: data[base + i]))
                case .int16: return Int(Int16(bitPattern: UInt16(data[base + 2 * i]) << 8 | UInt16(data[base + 2 * i + 1])))
                default:
                    let at = base + 4 * i
                    return Int(Int32(bitPattern: UInt32(data[at]) << 24 | UInt32(data[at + 1]) << 16
                                     | UInt32(data[at + 2]) << 8 | UInt32(data[at + 3])))
                }
            }
        }

        /// Converts every element to Float, rejecting non-finite values.
        func decode(_ bytes: [UInt8], into output: UnsafeMutableBufferPointer<Float>,
                    path: String, featureCount: Int) throws {
            precondition(output.count == elementCount)
            try bytes.withUnsafeBufferPointer { raw in
                let data = UnsafeBufferPointer(rebasing: raw[dataOffset...])
                @inline(__always) func bigEndian32(_ i: Int) -> UInt32 {
                    let at = 4 * i
                    return UInt32(data[at]) << 24 | UInt32(data[at + 1]) << 16 | UInt32(data[at + 2]) << 8 | UInt32(data[at + 3])
                }
                switch type {
                case .uint8:
                    for i in 0..<elementCount { output[i] = Float(data[i]) }
                case .int8:
                    for i in 0..<elementCount { output[i] = Float(Int8(bitPattern: data[i])) }
                case .int16:
                    for i in 0..<elementCount {
                        output[i] = Float(Int16(bitPattern: UInt16(data[2 * i]) << 8 | UInt16(data[2 * i + 1])))
                    }
                case .int32:
                    for i in 0..<elementCount { output[i] = Float(Int32(bitPattern: bigEndian32(i))) }
                case .float32:
                    for i in 0..<elementCount { output[i] = Float(bitPattern: bigEndian32(i)) }
                case .float64:
                    for i in 0..<elementCount {
                        var bits: UInt64 = 0
                        for b in 0..<8 { bits = bits << 8 | UInt64(data[8 * i + b]) }
                        output[i] = Float(Double(bitPattern: bits))
                    }
                }
                if !type.isInteger, let bad = output.firstIndex(where: { !$0.isFinite }) {
                    throw DatasetError.nonFiniteElement(path: path, sample: bad / featureCount, feature: bad % featureCount)
                }
            }
        }
    }
}
