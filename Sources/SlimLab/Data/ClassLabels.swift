/// Turns the label values found in a file into class indices and class names, with errors that
/// point at the offending line or sample.
///
/// Two kinds of label columns are understood:
/// - whole numbers 0, 1, 2, …: the number is the class index, and the classes are 0…max
///   (named "0", "1", … unless names are given);
/// - text: each distinct value is a class, in sorted order (as scikit-learn's `LabelEncoder`),
///   unless names are given, in which case every value must be one of them.
enum ClassLabels {
    /// The largest number of classes a file may define without naming them.
    static let classLimit = 1000

    /// Class indices for whole-number labels. `locate(i)` names sample `i`'s place in the file.
    static func fromIntegers(_ values: [Int], path: String, classNames: [String]?,
                             locate: (Int) -> String) throws -> (labels: [Int], classNames: [String]) {
        let limit = classNames?.count ?? classLimit
        var largest = -1
        for (i, value) in values.enumerated() {
            if value < 0 || value >= limit {
                if classNames == nil && value >= limit {
                    throw DatasetError.badLabel(path: path, location: locate(i), text: String(value),
                                                reason: "is larger than \(limit - 1), the largest class number SlimLab accepts; is the label column the right one?")
                }
                throw DatasetError.labelOutOfRange(path: path, location: locate(i), label: value, classCount: limit)
            }
            largest = max(largest, value)
        }
        let names = classNames ?? (0...max(largest, 0)).map(String.init)
        return (values, names)
    }

    /// Class indices for label cells as written in a CSV file. The first cell decides the kind:
    /// if it is a number, every label must be a whole number; otherwise all are class names.
    static func fromCells(_ cells: [String], path: String, classNames: [String]?,
                          locate: (Int) -> String) throws -> (labels: [Int], classNames: [String]) {
        guard let first = cells.first else { return ([], classNames ?? []) }
        for (i, cell) in cells.enumerated() where cell.isEmpty {
            throw DatasetError.badLabel(path: path, location: locate(i), text: cell,
                                        reason: "is empty; every sample needs a label")
        }
        if Double(first) != nil {
            var values = [Int]()
            values.reserveCapacity(cells.count)
            for (i, cell) in cells.enumerated() {
                guard let number = Double(cell), number.isFinite else {
                    throw DatasetError.badLabel(path: path, location: locate(i), text: cell,
                                                reason: "is not a number, but the first label is; labels must be all whole numbers 0, 1, 2, … or all class names")
                }
                guard number == number.rounded(.towardZero), abs(number) < 1e9 else {
                    throw DatasetError.badLabel(path: path, location: locate(i), text: cell,
                                                reason: "is not a whole number; labels must be whole numbers 0, 1, 2, … or class names")
                }
                values.append(Int(number))
            }
            return try fromIntegers(values, path: path, classNames: classNames, locate: locate)
        }

        let names: [String]
        if let classNames {
            names = classNames
        } else {
            names = Set(cells).sorted()
            if names.count > classLimit {
                throw DatasetError.tooManyClasses(path: path, count: names.count, limit: classLimit)
            }
        }
        var index = [String: Int](minimumCapacity: names.count)
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        var labels = [Int]()
        labels.reserveCapacity(cells.count)
        for (i, cell) in cells.enumerated() {
            guard let label = index[cell] else {
                throw DatasetError.badLabel(path: path, location: locate(i), text: cell,
                                            reason: "is not one of the classes \(names.joined(separator: ", "))")
            }
            labels.append(label)
        }
        return (labels, names)
    }
}
