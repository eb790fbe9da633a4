import Foundation

/// How the session's dataset was loaded — the name or file, the loader's options and the
/// split — so that a saved session can load it again with the very same split.
public struct DatasetRecipe: Sendable, Equatable {
    /// A shipped set or a generator by name (`digits`, `spirals`), or a file by absolute path.
    public var source: String
    public var options: DatasetLoadOptions
    public var testFraction: Double
    /// The fraction of the training part held out for validation (0: none).
    public var validationFraction: Double
    /// The seed of the stratified split.
    public var seed: UInt64
    public var normalization: Normalization.Method
    /// The loaded dataset's name, to tell whether the session's data still came from here.
    public var datasetName: String?

    /// A recipe for `source` as `data load` was given it: file paths (the source, an IDX
    /// labels file) are made absolute, so the recipe works from any folder.
    public init(source: String, options: DatasetLoadOptions, testFraction: Double, validationFraction: Double = 0,
                seed: UInt64, normalization: Normalization.Method, datasetName: String? = nil) {
        let named = DatasetCatalog.knownNames.contains(source)
        self.source = named ? source : Self.absolute(source)
        self.options = options
        self.options.labelsPath = options.labelsPath.map(Self.absolute)
        self.testFraction = testFraction
        self.validationFraction = validationFraction
        self.seed = seed
        self.normalization = normalization
        self.datasetName = datasetName
    }

    /// Loads and splits the dataset as the recipe says.
    public func load(catalog: DatasetCatalog = .standard()) throws -> DatasetSplit {
        try catalog.loadSplit(source, options: options, testFraction: testFraction,
                              validationFraction: validationFraction, normalization: normalization)
    }

    private static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
