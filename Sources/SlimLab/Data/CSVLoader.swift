import SlimKernels

/// How to read a CSV file into a ``Dataset``.
public struct CSVOptions: Sendable, Equatable {
    /// The column holding the labels, by its header name; `nil` means the last column.
    public var labelColumn: String?
    /// The class names, indexed by label. With whole-number labels they name classes 0, 1, …
    /// (a label beyond them is an error); with text labels they fix the classes and their
    /// order. `nil`: the numbers 0…max, or the distinct texts in sorted order.
    public var classNames: [String]?
    /// How to view one row (`[1, 8, 8]` for 8×8 images); `nil` means a flat `[featureCount]`.
    public var sampleShape: [Int]?
    /// The dataset's name in messages; `nil` means the file's name without its extension.
    public var name: String?

    public init(labelColumn: String? = nil, classNames: [String]? = nil,
                sampleShape: [Int]? = nil, name: String? = nil) {
        self.labelColumn = labelColumn
        self.classNames = classNames
        self.sampleShape = sampleShape
        self.name = name
    }
}

/// Reads comma-separated files with a header line: numeric feature columns and one label column.
///
/// The format is what spreadsheets and pandas write: one sample per line, cells separated by
/// commas, optionally quoted with `"` (a doubled `""` inside quotes is a quote), spaces around
/// cells ignored, `\n` or `\r\n` line ends, an optional UTF-8 byte-order mark, blank lines
/// skipped. Feature cells must be finite numbers; every error names the line and column.
public enum CSVLoader {
    /// Loads the CSV file at `path`.
    ///
    /// - Throws: ``DatasetError`` naming the file, line and column of the first problem.
    public static func load(path: String, options: CSVOptions = CSVOptions()) throws -> Dataset {
        let bytes = try DatasetFile.read(path)
        return try parse(bytes, path: path, options: options)
    }

    /// Parses CSV bytes; `path` is only used in messages and for the default name.
    public static func parse(_ bytes: [UInt8], path: String, options: CSVOptions = CSVOptions()) throws -> Dataset {
        var lines = LineScanner(bytes)
        var cells = [CellRange]()

        // The header: the first non-blank line.
        var header: [String] = []
        var headerLine = 0
        while let line = lines.next() {
            guard try split(bytes, line.range, into: &cells, path: path, line: line.number) else { continue }
            headerLine = line.number
            header = try cells.enumerated().map { column, cell in
                guard let text = cell.text(bytes) else { throw DatasetError.notUTF8(path: path, line: line.number) }
                return text.isEmpty ? "column \(column + 1)" : text
            }
            break
        }
        if headerLine == 0 { throw DatasetError.emptyFile(path: path) }
        if cells.allSatisfy({ parseNumber(bytes, $0) != nil }) {
            throw DatasetError.missingHeader(path: path, line: headerLine)
        }
        var firstColumn = [String: Int]()
        for (column, name) in header.enumerated() {
            if firstColumn[name] != nil {
                let all = header.indices.filter { header[$0] == name }.map { $0 + 1 }
                throw DatasetError.duplicateColumn(path: path, name: name, columns: all)
            }
            firstColumn[name] = column
        }
        let labelIndex: Int
        if let wanted = options.labelColumn {
            guard let found = firstColumn[wanted] else {
                throw DatasetError.labelColumnNotFound(path: path, name: wanted, available: header)
            }
            labelIndex = found
        } else {
            labelIndex = header.count - 1
        }
        let columnCount = header.count
        guard columnCount >= 2 else { throw DatasetError.noFeatureColumns(path: path, columns: header) }
        let featureCount = columnCount - 1
        let featureNames = header.enumerated().filter { $0.offset != labelIndex }.map(\.element)

        // The samples.
        var features = [Float]()
        features.reserveCapacity(featureCount * max(16, bytes.count / max(1, 4 * columnCount)))
        var labelCells = [String]()
        var lineNumbers = [Int]()
        while let line = lines.next() {
            guard try split(bytes, line.range, into: &cells, path: path, line: line.number) else { continue }
            guard cells.count == columnCount else {
                throw DatasetError.raggedRow(path: path, line: line.number, expected: columnCount, found: cells.count)
            }
            for (column, cell) in cells.enumerated() {
                if column == labelIndex {
                    guard let text = cell.text(bytes) else { throw DatasetError.notUTF8(path: path, line: line.number) }
                    labelCells.append(text)
                    continue
                }
                guard let value = parseNumber(bytes, cell) else {
                    throw DatasetError.nonNumericCell(path: path, line: line.number, column: column + 1,
                                                      columnName: header[column], text: cell.lossyText(bytes))
                }
                guard value.isFinite else {
                    throw DatasetError.nonFiniteValue(path: path, line: line.number, column: column + 1,
                                                      columnName: header[column], text: cell.lossyText(bytes))
                }
                features.append(value)
            }
            lineNumbers.append(line.number)
        }
        guard !labelCells.isEmpty else { throw DatasetError.noRows(path: path) }

        let (labels, classNames) = try ClassLabels.fromCells(
            labelCells, path: path, classNames: options.classNames,
            locate: { "line \(lineNumbers[$0]), column \(labelIndex + 1) (\(header[labelIndex]))" })

        let sampleShape = options.sampleShape ?? [featureCount]
        guard sampleShape.allSatisfy({ $0 > 0 }), sampleShape.reduce(1, *) == featureCount else {
            throw DatasetError.badParameter(name: "shape", value: sampleShape.map(String.init).joined(separator: "x"),
                                            allowed: "the sample shape must hold exactly the \(featureCount) features of \(path)")
        }
        return Dataset(name: options.name ?? DatasetFile.baseName(path),
                       features: Tensor(shape: [labels.count, featureCount], scalars: features),
                       labels: labels, sampleShape: sampleShape,
                       featureNames: featureNames, classNames: classNames)
    }

    // MARK: - Lines and cells

    /// One cell's bytes, quotes removed from the ends (not yet unescaped), spaces trimmed.
    struct CellRange {
        var start: Int
        var end: Int
        var quoted: Bool

        func text(_ bytes: [UInt8]) -> String? {
            let raw = String(validating: bytes[start..<end], as: UTF8.self)
            return quoted ? raw?.replacing("\"\"", with: "\"") : raw
        }

        /// The cell for an error message: a short excerpt, control bytes escaped (a cell may
        /// be a megabyte of binary junk).
        func lossyText(_ bytes: [UInt8]) -> String {
            let raw = String(decoding: bytes[start..<min(end, start + 400)], as: UTF8.self)
            return TextExcerpt.plain(quoted ? raw.replacing("\"\"", with: "\"") : raw, limit: 40)
        }
    }

    /// Yields the lines of a byte buffer with their 1-based numbers, without line terminators.
    struct LineScanner {
        let bytes: [UInt8]
        var position = 0
        var number = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }

        mutating func next() -> (range: Range<Int>, number: Int)? {
            guard position < bytes.count else { return nil }
            let start = position
            var end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            position = end + 1
            number += 1
            if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return (start..<end, number)
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// Splits one line into cells. Returns false for a blank line (nothing but spaces).
    static func split(_ bytes: [UInt8], _ range: Range<Int>, into cells: inout [CellRange],
                      path: String, line: Int) throws -> Bool {
        cells.removeAll(keepingCapacity: true)
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
        var i = range.lowerBound
        while i < range.upperBound && isSpace(bytes[i]) { i += 1 }
        if i == range.upperBound { return false }
        i = range.lowerBound
        while true {
            while i < range.upperBound && isSpace(bytes[i]) { i += 1 }
            if i < range.upperBound && bytes[i] == quote {
                let start = i + 1
                var j = start
                var closed = false
                while j < range.upperBound {
                    if bytes[j] == quote {
                        if j + 1 < range.upperBound && bytes[j + 1] == quote { j += 2; continue }
                        closed = true
                        break
                    }
                    j += 1
                }
                guard closed else { throw DatasetError.unterminatedQuote(path: path, line: line) }
                cells.append(CellRange(start: start, end: j, quoted: true))
                i = j + 1
                while i < range.upperBound && bytes[i] != comma { i += 1 }
            } else {
                let start = i
                while i < range.upperBound && bytes[i] != comma { i += 1 }
                var end = i
                while end > start && isSpace(bytes[end - 1]) { end -= 1 }
                cells.append(CellRange(start: start, end: end, quoted: false))
            }
            if i >= range.upperBound { break }
            i += 1  // past the comma; a trailing comma yields a final empty cell
        }
        return true
    }

    /// The number in a cell, `nil` if it is not one. Non-finite results are returned as they
    /// are, so the caller can say "not finite" rather than "not a number".
    static func parseNumber(_ bytes: [UInt8], _ cell: CellRange) -> Float? {
        if cell.start == cell.end { return nil }
        // Fast path: short integers (up to 7 digits) are exact in Float.
        var i = cell.start
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        let digitsStart = i
        var value = 0
        while i < cell.end, i - digitsStart < 8 {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            value = value * 10 + Int(digit)
            i += 1
        }
        if i == cell.end && i > digitsStart && i - digitsStart <= 7 {
            return Float(negative ? -value : value)
        }
        let text = cell.lossyText(bytes)
        return Float(text)
    }
}
