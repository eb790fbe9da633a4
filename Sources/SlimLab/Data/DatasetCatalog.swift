import Foundation

/// Everything `data load` may be asked for besides the name: generator parameters for the
/// generated sets, and how to read a file the user brings.
public struct DatasetLoadOptions: Sendable, Equatable {
    /// Generators: the number of samples (`n=`); `nil` means 600.
    public var count: Int?
    /// Generators: the noise level (`noise=`); `nil` means the generator's default.
    public var noise: Double?
    /// Generators: the number of classes (`classes=`), for spirals and blobs.
    public var classes: Int?
    /// Generators: the seed the samples are drawn from.
    public var seed: UInt64
    /// CSV files: the label column's name (`label=`); `nil` means the last column.
    public var labelColumn: String?
    /// IDX files: the labels file (`labels=`); `nil` means the one named like the images file.
    public var labelsPath: String?
    /// Files: the class names, indexed by label; `nil` takes them from the labels.
    public var classNames: [String]?
    /// CSV files: how to view one row (`[1, 28, 28]`); `nil` means a flat row.
    public var sampleShape: [Int]?

    public init(count: Int? = nil, noise: Double? = nil, classes: Int? = nil, seed: UInt64 = 0,
                labelColumn: String? = nil, labelsPath: String? = nil, classNames: [String]? = nil,
                sampleShape: [Int]? = nil) {
        self.count = count
        self.noise = noise
        self.classes = classes
        self.seed = seed
        self.labelColumn = labelColumn
        self.labelsPath = labelsPath
        self.classNames = classNames
        self.sampleShape = sampleShape
    }
}

/// A dataset that ships with SlimLab as a CSV file in the `Datasets/` folder.
public struct ShippedDataset: Sendable, Equatable {
    /// The name `data load` knows it by.
    public var name: String
    /// The file's name inside `Datasets/`.
    public var fileName: String
    /// The label column's name in the file.
    public var labelColumn: String
    /// How one sample is viewed.
    public var sampleShape: [Int]
    /// One line for listings.
    public var summary: String

    /// 8×8 handwritten digits, 1797 samples, 10 classes, viewed as 1×8×8 images.
    public static let digits = ShippedDataset(
        name: "digits", fileName: "digits.csv", labelColumn: "digit", sampleShape: [1, 8, 8],
        summary: "8×8 handwritten digits (UCI optdigits): 1797 samples, 64 pixels 0–16, 10 classes")
    /// Fisher's irises: 150 samples, 4 measurements, 3 species.
    public static let iris = ShippedDataset(
        name: "iris", fileName: "iris.csv", labelColumn: "species", sampleShape: [4],
        summary: "Fisher's iris flowers: 150 samples, 4 measurements in cm, 3 species")

    /// Every shipped dataset.
    public static let all: [ShippedDataset] = [.digits, .iris]
}

/// Finds datasets by name or path: the shipped CSV files, the generators, or a user's CSV or
/// IDX file.
///
/// The shipped files live in a `Datasets/` folder that must be found both from an installed
/// binary and from the tests, so ``standard(environment:executablePath:currentDirectory:)``
/// looks in several places, in order, and an error lists all of them.
public struct DatasetCatalog: Sendable {
    /// The folders searched for shipped files, in order.
    public var searchFolders: [String]

    /// A catalog that looks for shipped files in exactly these folders.
    public init(searchFolders: [String]) {
        var unique: [String] = []
        for folder in searchFolders where !folder.isEmpty && !unique.contains(folder) { unique.append(folder) }
        self.searchFolders = unique
    }

    /// The usual search order:
    /// 1. the folder named by the `SLIMLAB_DATASETS` environment variable;
    /// 2. walking up from the running executable (symbolic links resolved): each ancestor's
    ///    `Datasets/` and `share/slimlab/Datasets/` (so both `.build/release/slimlab` in a
    ///    checkout and an install under a prefix find their data);
    /// 3. `$SLIMLAB_HOME/Datasets`, then `Datasets/` in the current directory;
    /// 4. the `Datasets/` folder of the source checkout SlimLab was compiled from.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment,
                                executablePath: String? = currentExecutablePath(),
                                currentDirectory: String = FileManager.default.currentDirectoryPath) -> DatasetCatalog {
        var folders: [String] = []
        if let fromEnvironment = environment["SLIMLAB_DATASETS"], !fromEnvironment.isEmpty {
            folders.append(fromEnvironment)
        }
        if let executablePath {
            var folder = URL(fileURLWithPath: executablePath).deletingLastPathComponent().standardizedFileURL
            while true {
                folders.append(folder.appendingPathComponent("Datasets").path)
                folders.append(folder.appendingPathComponent("share/slimlab/Datasets").path)
                let parent = folder.deletingLastPathComponent().standardizedFileURL
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        if let home = environment["SLIMLAB_HOME"], !home.isEmpty {
            folders.append(URL(fileURLWithPath: home).appendingPathComponent("Datasets").path)
        }
        folders.append(URL(fileURLWithPath: currentDirectory).appendingPathComponent("Datasets").path)
        folders.append(sourceCheckoutDatasets)
        return DatasetCatalog(searchFolders: folders)
    }

    /// The `Datasets/` folder of the checkout this file was compiled in.
    static let sourceCheckoutDatasets: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }   // Data, SlimLab, Sources, the root
        return url.appendingPathComponent("Datasets").path
    }()

    /// The running executable's path, with symbolic links resolved (`/proc/self/exe` on Linux).
    public static func currentExecutablePath() -> String? {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        return Bundle.main.executablePath ?? CommandLine.arguments.first
    }

    /// The names `data load` knows without a path: the shipped sets, then the generators.
    public static var knownNames: [String] {
        ShippedDataset.all.map(\.name) + DatasetGenerator.allCases.map(\.rawValue)
    }

    /// The path of a shipped file: the first search folder that holds it.
    /// - Throws: ``DatasetError/shippedDataNotFound(file:searched:)`` listing every folder.
    public func path(of shipped: ShippedDataset) throws -> String {
        for folder in searchFolders {
            let path = folder + "/" + shipped.fileName
            if fileExists(atPath: path) && !isDirectory(atPath: path) { return path }
        }
        throw DatasetError.shippedDataNotFound(file: shipped.fileName, searched: searchFolders)
    }

    /// Loads a shipped set (`digits`, `iris`), draws a generated one (`spirals`, `moons`,
    /// `blobs`, `xor`), or reads a file: IDX if its first bytes say so (with its labels file
    /// from `options.labelsPath` or found by MNIST's naming), CSV otherwise.
    ///
    /// Names are matched exactly and win over files of the same name; write `./iris` for a
    /// file called `iris`.
    /// - Throws: ``DatasetError`` from the loader, or ``DatasetError/unknownDataset(name:shipped:generators:)``
    ///   for a word that is neither a known name nor an existing file.
    public func load(_ nameOrPath: String, options: DatasetLoadOptions = DatasetLoadOptions()) throws -> Dataset {
        if let shipped = ShippedDataset.all.first(where: { $0.name == nameOrPath }) {
            return try CSVLoader.load(path: path(of: shipped), options: CSVOptions(
                labelColumn: shipped.labelColumn, classNames: options.classNames,
                sampleShape: shipped.sampleShape, name: shipped.name))
        }
        if let generator = DatasetGenerator(rawValue: nameOrPath) {
            return try generator.generate(count: options.count, noise: options.noise,
                                          classes: options.classes, seed: options.seed)
        }
        let looksLikePath = nameOrPath.contains("/") || nameOrPath.contains(".")
        if !looksLikePath && !fileExists(atPath: nameOrPath) {
            throw DatasetError.unknownDataset(name: nameOrPath, shipped: ShippedDataset.all.map(\.name),
                                              generators: DatasetGenerator.allCases.map(\.rawValue))
        }
        let bytes = try DatasetFile.read(nameOrPath)
        if IDXLoader.looksLikeIDX(bytes) {
            let labelsPath = try options.labelsPath ?? IDXLoader.labelsPath(forImages: nameOrPath)
            return try IDXLoader.parse(images: bytes, imagesPath: nameOrPath,
                                       labels: DatasetFile.read(labelsPath), labelsPath: labelsPath,
                                       classNames: options.classNames)
        }
        if bytes.starts(with: [0x1F, 0x8B]) { throw DatasetError.compressed(path: nameOrPath) }
        return try CSVLoader.parse(bytes, path: nameOrPath, options: CSVOptions(
            labelColumn: options.labelColumn, classNames: options.classNames, sampleShape: options.sampleShape))
    }
}
