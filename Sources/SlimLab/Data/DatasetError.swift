/// Why a dataset could not be loaded, generated, split or shown.
///
/// Every case names the file (and, where there is one, the line, column and cell) and says what
/// would have been allowed, so that a learner can fix the file without reading SlimLab's source.
/// Lines and columns count from 1, as editors show them; samples count from 0, as `data show`
/// does.
public enum DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
    // MARK: Files
    case fileNotFound(path: String)
    case notAFile(path: String)
    case unreadable(path: String, reason: String)
    case emptyFile(path: String)

    // MARK: CSV
    case notUTF8(path: String, line: Int)
    case missingHeader(path: String, line: Int)
    case duplicateColumn(path: String, name: String, columns: [Int])
    case noFeatureColumns(path: String, columns: [String])
    case noRows(path: String)
    case unterminatedQuote(path: String, line: Int)
    case raggedRow(path: String, line: Int, expected: Int, found: Int)
    case nonNumericCell(path: String, line: Int, column: Int, columnName: String, text: String)
    case nonFiniteValue(path: String, line: Int, column: Int, columnName: String, text: String)
    case labelColumnNotFound(path: String, name: String, available: [String])

    // MARK: Labels (CSV and IDX)
    /// `location` is "line 12" for CSV and "sample 12" for IDX.
    case badLabel(path: String, location: String, text: String, reason: String)
    case labelOutOfRange(path: String, location: String, label: Int, classCount: Int)
    case tooManyClasses(path: String, count: Int, limit: Int)

    // MARK: gzip
    case corruptGzip(path: String, reason: String)

    // MARK: IDX
    case badMagic(path: String, bytes: [UInt8])
    case unknownElementType(path: String, code: UInt8)
    case dimensionMismatch(path: String, expected: String, found: [Int])
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    case truncated(path: String, expectedBytes: Int, actualBytes: Int, detail: String)
    case trailingBytes(path: String, expectedBytes: Int, actualBytes: Int)
    case absurdSize(path: String, detail: String)
    case nonFiniteElement(path: String, sample: Int, feature: Int)
    case labelsFileNotFound(images: String, tried: [String])
    case labelsNotIntegers(path: String, elementType: String)

    // MARK: Names, parameters, samples
    case unknownDataset(name: String, shipped: [String], generators: [String])
    case shippedDataNotFound(file: String, searched: [String])
    /// A set installed by a system package (Fashion-MNIST) whose files are missing.
    case notInstalled(name: String, missing: String, install: String)
    case badParameter(name: String, value: String, allowed: String)
    case sampleOutOfRange(index: Int, part: String, count: Int)

    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "cannot open '\(path)': no such file"
        case let .notAFile(path):
            return "cannot open '\(path)': it is a folder, not a file"
        case let .unreadable(path, reason):
            return "cannot read '\(path)': \(reason)"
        case let .emptyFile(path):
            return "'\(path)' is empty: expected a header line of column names, then one line per sample"

        case let .notUTF8(path, line):
            return "\(path) line \(line): not valid UTF-8 text (is this a CSV file?)"
        case let .missingHeader(path, line):
            return "\(path) line \(line): the first line must be a header of column names, but it holds only numbers"
        case let .duplicateColumn(path, name, columns):
            return "\(path): the column name '\(name)' appears more than once (columns \(columns.map(String.init).joined(separator: ", "))); column names must be unique"
        case let .noFeatureColumns(path, columns):
            return "\(path): only the label column \(columns.map { "'\($0)'" }.joined(separator: ", ")); at least one feature column is needed besides the label"
        case let .noRows(path):
            return "\(path): a header but no samples; expected one line per sample after the header"
        case let .unterminatedQuote(path, line):
            return "\(path) line \(line): a quoted cell has no closing quote (quoted cells must end on the same line)"
        case let .raggedRow(path, line, expected, found):
            return "\(path) line \(line): \(found) \(found == 1 ? "cell" : "cells"), but the header has \(expected) columns; every line needs \(expected)"
        case let .nonNumericCell(path, line, column, name, text):
            return "\(path) line \(line), column \(column) (\(name)): \(text.isEmpty ? "the cell is empty" : "'\(text)' is not a number"); feature cells must be numbers like 3, -0.5 or 1e-3"
        case let .nonFiniteValue(path, line, column, name, text):
            return "\(path) line \(line), column \(column) (\(name)): '\(text)' is not a finite number; NaN, infinity and values beyond ±3.4e38 are not allowed"
        case let .labelColumnNotFound(path, name, available):
            return "\(path): no column named '\(name)'; the columns are \(Self.list(available))"

        case let .badLabel(path, location, text, reason):
            return "\(path) \(location): label '\(text)' \(reason)"
        case let .labelOutOfRange(path, location, label, classCount):
            return "\(path) \(location): label \(label) is out of range; labels must be 0…\(classCount - 1) for \(classCount) classes"
        case let .tooManyClasses(path, count, limit):
            return "\(path): \(count) classes, more than the \(limit) SlimLab handles; is the label column the right one?"

        case let .corruptGzip(path, reason):
            return "'\(path)' starts like gzip data (1F 8B) but cannot be unpacked: \(reason); the file is damaged (check it with 'gzip -t')"
        case let .badMagic(path, bytes):
            return "'\(path)' is not an IDX file: it starts with bytes \(Self.hex(bytes)), but an IDX file starts with 00 00, a type code (08 = unsigned bytes) and the number of dimensions"
        case let .unknownElementType(path, code):
            return "'\(path)': unknown IDX element type 0x\(Self.hex([code])); known are 08 (unsigned byte), 09 (signed byte), 0B (int16), 0C (int32), 0D (float32), 0E (float64)"
        case let .dimensionMismatch(path, expected, found):
            return "'\(path)': dimensions \(Self.shape(found)), but \(expected)"
        case let .countMismatch(images, imageCount, labels, labelCount):
            return "'\(images)' holds \(imageCount) samples but '\(labels)' holds \(labelCount) labels; they must match one to one"
        case let .truncated(path, expected, actual, detail):
            return "'\(path)' is truncated: \(detail) need \(expected) bytes, the file has \(actual)"
        case let .trailingBytes(path, expected, actual):
            return "'\(path)' has \(actual - expected) unexpected bytes after its data (expected \(expected) bytes in all, found \(actual))"
        case let .absurdSize(path, detail):
            return "'\(path)': \(detail); the file is damaged or not in the format it claims"
        case let .nonFiniteElement(path, sample, feature):
            return "'\(path)' sample \(sample), feature \(feature): not a finite number (NaN or infinity)"
        case let .labelsFileNotFound(images, tried):
            return "no labels file found for '\(images)'; looked for \(Self.list(tried)); name it with labels=PATH"

        case let .labelsNotIntegers(path, elementType):
            return "'\(path)' holds \(elementType) values, but labels must be integers (IDX type 08, unsigned bytes, as in MNIST)"

        case let .unknownDataset(name, shipped, generators):
            return "unknown dataset '\(name)': not a known set (\(shipped.joined(separator: ", "))), a generator (\(generators.joined(separator: ", "))), nor an existing file"
        case let .shippedDataNotFound(file, searched):
            return "cannot find the shipped file \(file); looked in: \(searched.isEmpty ? "(nowhere)" : searched.joined(separator: ", ")). Set SLIMLAB_DATASETS to the folder holding it"
        case let .notInstalled(name, missing, install):
            return "\(name) is not installed: \(missing) is missing; install it with: \(install)"
        case let .badParameter(name, value, allowed):
            return "\(name)=\(value) is not allowed: \(allowed)"
        case let .sampleOutOfRange(index, part, count):
            return count == 0
                ? "sample \(index) does not exist: the \(part) part is empty"
                : "sample \(index) does not exist: the \(part) part has samples 0…\(count - 1)"
        }
    }

    private static func list(_ items: [String]) -> String {
        items.map { "'\($0)'" }.joined(separator: ", ")
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
    }

    private static func shape(_ dimensions: [Int]) -> String {
        dimensions.isEmpty ? "(none)" : dimensions.map(String.init).joined(separator: "×")
    }
}
