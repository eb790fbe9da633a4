import XCTest
import SlimKernels
@testable import SlimLab

final class CSVLoaderTests: XCTestCase {
    private func fixture(_ name: String) -> String { DatasetFixtures.path(name) }

    func testReadsQuotesSpacesCRLFBlankLinesAndALabelColumnInTheMiddle() throws {
        let data = try CSVLoader.load(path: fixture("good.csv"), options: CSVOptions(labelColumn: "kind"))
        XCTAssertEqual(data.name, "good")
        XCTAssertEqual(data.featureNames, ["sepal length", "odd \"name\""])
        XCTAssertEqual(data.classNames, ["cat", "dog"])
        XCTAssertEqual(data.labels, [0, 1, 0])
        XCTAssertEqual(data.features.shape, [3, 2])
        XCTAssertEqual(data.features.scalars, [5.1, 1e-3, -4.25, 7, 0, 2])
        XCTAssertEqual(data.sampleShape, [2])
    }

    func testTheLabelIsTheLastColumnByDefault() {
        // good.csv's last column is numeric, so its text column "kind" becomes a feature.
        let path = fixture("good.csv")
        assertDatasetError(try CSVLoader.load(path: path),
                           .nonNumericCell(path: path, line: 2, column: 2, columnName: "kind", text: "cat"),
                           mentions: ["line 2, column 2 (kind)", "'cat' is not a number"])
    }

    func testWholeNumberLabelsAreClassIndicesAndClassNamesCanBeGiven() throws {
        let csv = Array("a,b,y\n1,2,2\n3,4,0\n5,6,2.0\n".utf8)
        let plain = try CSVLoader.parse(csv, path: "t.csv")
        XCTAssertEqual(plain.labels, [2, 0, 2])
        XCTAssertEqual(plain.classNames, ["0", "1", "2"])
        let named = try CSVLoader.parse(csv, path: "t.csv", options: CSVOptions(classNames: ["x", "y", "z", "w"]))
        XCTAssertEqual(named.classNames, ["x", "y", "z", "w"])
        assertDatasetError(try CSVLoader.parse(csv, path: "t.csv", options: CSVOptions(classNames: ["x", "y"])),
                           .labelOutOfRange(path: "t.csv", location: "line 2, column 3 (y)", label: 2, classCount: 2),
                           mentions: ["t.csv line 2, column 3 (y): label 2 is out of range", "0…1 for 2 classes"])
    }

    func testTextLabelsAreSortedOrFollowTheGivenNames() throws {
        let csv = Array("f,species\n1,virginica\n2,setosa\n3,versicolor\n".utf8)
        let sorted = try CSVLoader.parse(csv, path: "s.csv")
        XCTAssertEqual(sorted.classNames, ["setosa", "versicolor", "virginica"])
        XCTAssertEqual(sorted.labels, [2, 0, 1])
        let given = try CSVLoader.parse(csv, path: "s.csv", options: CSVOptions(classNames: ["virginica", "versicolor", "setosa"]))
        XCTAssertEqual(given.labels, [0, 2, 1])
        assertDatasetError(try CSVLoader.parse(csv, path: "s.csv", options: CSVOptions(classNames: ["setosa", "virginica"])),
                           .badLabel(path: "s.csv", location: "line 4, column 2 (species)", text: "versicolor",
                                     reason: "is not one of the classes setosa, virginica"))
    }

    func testSampleShapeAndName() throws {
        let csv = Array("p0,p1,p2,p3,label\n0,1,2,3,0\n".utf8)
        let data = try CSVLoader.parse(csv, path: "dir/x.data.csv", options: CSVOptions(sampleShape: [1, 2, 2]))
        XCTAssertEqual(data.sampleShape, [1, 2, 2])
        XCTAssertEqual(data.name, "x.data")
        assertDatasetError(try CSVLoader.parse(csv, path: "x.csv", options: CSVOptions(sampleShape: [3])),
                           .badParameter(name: "shape", value: "3", allowed: "the sample shape must hold exactly the 4 features of x.csv"))
    }

    func testIntegerFastPathAndGeneralNumbersAgree() throws {
        let csv = Array("a,b,c,d,e,f,label\n1234567,-7654321,12345678,+5,0x10,1.5e2,0\n".utf8)
        let data = try CSVLoader.parse(csv, path: "n.csv")
        XCTAssertEqual(data.features.scalars, [1234567, -7654321, 12345678, 5, 16, 150])
    }

    // MARK: - Broken files, one committed fixture each

    func testMissingFileAndFolder() {
        let missing = fixture("no-such-file.csv")
        assertDatasetError(try CSVLoader.load(path: missing), .fileNotFound(path: missing), mentions: ["no such file"])
        let folder = DatasetFixtures.folder
        assertDatasetError(try CSVLoader.load(path: folder), .notAFile(path: folder), mentions: ["folder"])
    }

    func testEmptyFileAndHeaderOnly() {
        let empty = fixture("empty.csv")
        assertDatasetError(try CSVLoader.load(path: empty), .emptyFile(path: empty), mentions: ["is empty"])
        assertDatasetError(try CSVLoader.parse(Array("\n  \r\n".utf8), path: "blank.csv"), .emptyFile(path: "blank.csv"))
        let headerOnly = fixture("header-only.csv")
        assertDatasetError(try CSVLoader.load(path: headerOnly), .noRows(path: headerOnly), mentions: ["no samples"])
    }

    func testMissingHeader() {
        let path = fixture("no-header.csv")
        assertDatasetError(try CSVLoader.load(path: path), .missingHeader(path: path, line: 1), mentions: ["line 1", "header"])
    }

    func testRaggedRowNamesItsLine() {
        let path = fixture("ragged.csv")
        assertDatasetError(try CSVLoader.load(path: path), .raggedRow(path: path, line: 4, expected: 3, found: 2),
                           mentions: ["line 4: 2 cells, but the header has 3 columns"])
    }

    func testNonNumericCellNamesLineAndColumn() {
        let path = fixture("non-numeric.csv")
        assertDatasetError(try CSVLoader.load(path: path),
                           .nonNumericCell(path: path, line: 3, column: 2, columnName: "weight", text: "abc"),
                           mentions: ["line 3, column 2 (weight): 'abc' is not a number"])
        assertDatasetError(try CSVLoader.parse(Array("a,b\n,1\n".utf8), path: "e.csv"),
                           .nonNumericCell(path: "e.csv", line: 2, column: 1, columnName: "a", text: ""),
                           mentions: ["the cell is empty"])
    }

    func testNaNAndInfinityAreRejected() {
        let nan = fixture("nan.csv")
        assertDatasetError(try CSVLoader.load(path: nan),
                           .nonFiniteValue(path: nan, line: 3, column: 2, columnName: "weight", text: "NaN"),
                           mentions: ["line 3, column 2 (weight): 'NaN' is not a finite number"])
        let inf = fixture("inf.csv")
        assertDatasetError(try CSVLoader.load(path: inf),
                           .nonFiniteValue(path: inf, line: 3, column: 2, columnName: "y", text: "inf"))
        assertDatasetError(try CSVLoader.parse(Array("a,l\n1e39,0\n".utf8), path: "big.csv"),
                           .nonFiniteValue(path: "big.csv", line: 2, column: 1, columnName: "a", text: "1e39"))
    }

    func testBadLabels() {
        let fractional = fixture("fractional-label.csv")
        assertDatasetError(try CSVLoader.load(path: fractional),
                           .badLabel(path: fractional, location: "line 3, column 3 (label)", text: "2.5",
                                     reason: "is not a whole number; labels must be whole numbers 0, 1, 2, … or class names"))
        let negative = fixture("negative-label.csv")
        assertDatasetError(try CSVLoader.load(path: negative),
                           .labelOutOfRange(path: negative, location: "line 4, column 3 (label)", label: -1, classCount: 1000))
        let empty = fixture("empty-label.csv")
        assertDatasetError(try CSVLoader.load(path: empty),
                           .badLabel(path: empty, location: "line 4, column 3 (label)", text: "",
                                     reason: "is empty; every sample needs a label"))
        assertDatasetError(try CSVLoader.parse(Array("a,l\n1,0\n2,cat\n".utf8), path: "m.csv"),
                           .badLabel(path: "m.csv", location: "line 3, column 2 (l)", text: "cat",
                                     reason: "is not a number, but the first label is; labels must be all whole numbers 0, 1, 2, … or all class names"))
        assertDatasetError(try CSVLoader.parse(Array("a,l\n1,0\n2,4000\n".utf8), path: "h.csv"),
                           .badLabel(path: "h.csv", location: "line 3, column 2 (l)", text: "4000",
                                     reason: "is larger than 999, the largest class number SlimLab accepts; is the label column the right one?"))
    }

    func testUnterminatedQuoteDuplicateColumnAndUnknownLabelColumn() {
        let quote = fixture("unterminated-quote.csv")
        assertDatasetError(try CSVLoader.load(path: quote), .unterminatedQuote(path: quote, line: 2))
        let duplicate = fixture("duplicate-column.csv")
        assertDatasetError(try CSVLoader.load(path: duplicate), .duplicateColumn(path: duplicate, name: "a", columns: [1, 3]))
        let good = fixture("good.csv")
        assertDatasetError(try CSVLoader.load(path: good, options: CSVOptions(labelColumn: "Kind")),
                           .labelColumnNotFound(path: good, name: "Kind", available: ["sepal length", "kind", "odd \"name\""]),
                           mentions: ["no column named 'Kind'"])
        assertDatasetError(try CSVLoader.parse(Array("label\n1\n".utf8), path: "one.csv"),
                           .noFeatureColumns(path: "one.csv", columns: ["label"]))
    }

    func testInvalidUTF8InTheHeader() {
        assertDatasetError(try CSVLoader.parse([0x61, 0xFF, 0x2C, 0x62, 0x0A, 0x31, 0x2C, 0x30, 0x0A], path: "u.csv"),
                           .notUTF8(path: "u.csv", line: 1))
    }
}
