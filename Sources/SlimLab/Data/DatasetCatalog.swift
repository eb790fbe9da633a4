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
    /// Where system packages install datasets (each in its own folder, like `fashion-mnist/`).
    public var installedRoot: String

    /// The folder Debian's dataset packages install into.
    public static let systemInstalledRoot = "/usr/share/datasets"

    /// A catalog that looks for shipped files in exactly these folders, and for installed sets
    /// under `installedRoot`.
    public init(searchFolders: [String], installedRoot: String = DatasetCatalog.systemInstalledRoot) {
        var unique: [String] = []
        for folder in searchFolders where !folder.isEmpty && !unique.contains(folder) { unique.append(folder) }
        self.searchFolders = unique
        self.installedRoot = installedRoot
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

    /// The names `data load` knows without a path: the shipped sets, the installed ones, then
    /// the generators.
    public static var knownNames: [String] {
        ShippedDataset.all.map(\.name) + InstalledDataset.all.map(\.name) + DatasetGenerator.allCases.map(\.rawValue)
    }

    /// The training and official test sets of an installed dataset.
    /// - Throws: ``DatasetError/notInstalled(name:missing:install:)`` with the command that
    ///   installs it, when its files are missing; loader errors when they are damaged.
    public func loadInstalled(_ installed: InstalledDataset) throws -> (train: Dataset, test: Dataset) {
        let folder = installedRoot + "/" + installed.folderName
        func part(_ images: String, _ labels: String, _ suffix: String) throws -> Dataset {
            for file in [images, labels] where !fileExists(atPath: folder + "/" + file) {
                throw DatasetError.notInstalled(name: installed.name, missing: folder + "/" + file,
                                                install: installed.installCommand)
            }
            var dataset = try IDXLoader.load(images: folder + "/" + images, labels: folder + "/" + labels,
                                             classNames: installed.classNames, name: installed.name)
            dataset.name = installed.name + suffix
            return dataset
        }
        return (try part(installed.trainImages, installed.trainLabels, ""),
                try part(installed.testImages, installed.testLabels, "-test"))
    }

    /// Loads `nameOrPath` as ``load(_:options:)`` does and splits it: an installed set keeps
    /// its official test set (`testFraction` is not used) and, with `options.count`, trains on
    /// a stratified subset of that many samples; any other set is split with `testFraction`.
    /// `validationFraction` > 0 holds out a stratified validation part of the training part.
    public func loadSplit(_ nameOrPath: String, options: DatasetLoadOptions = DatasetLoadOptions(),
                          testFraction: Double = 0.25, validationFraction: Double = 0,
                          normalization: Normalization.Method = .standard) throws -> DatasetSplit {
        if let installed = InstalledDataset.all.first(where: { $0.name == nameOrPath }) {
            var (train, test) = try loadInstalled(installed)
            if let count = options.count { train = try train.stratifiedSample(count, seed: options.seed) }
            return try Dataset.split(train: train, officialTest: test, validationFraction: validationFraction,
                                     seed: options.seed, normalization: normalization)
        }
        return try load(nameOrPath, options: options).split(
            testFraction: testFraction, seed: options.seed, normalization: normalization,
            validationFraction: validationFraction)
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

    /// Loads a shipped set (`digits`, `iris`), the training set of an installed one
    /// (`fashion-mnist`; ``loadSplit(_:options:testFraction:validationFraction:normalization:)``
    /// adds its official test set), draws a generated one (`spirals`, `moons`, `blobs`, `xor`),
    /// or reads a file, gzip'd or not: IDX if its first bytes say so (with its labels file
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
        if let installed = InstalledDataset.all.first(where: { $0.name == nameOrPath }) {
            return try loadInstalled(installed).train
        }
        if let generator = DatasetGenerator(rawValue: nameOrPath) {
            return try generator.generate(count: options.count, noise: options.noise,
                                          classes: options.classes, seed: options.seed)
        }
        let looksLikePath = nameOrPath.contains("/") || nameOrPath.contains(".")
        if !looksLikePath && !fileExists(atPath: nameOrPath) {
            throw DatasetError.unknownDataset(name: nameOrPath,
                                              shipped: ShippedDataset.all.map(\.name) + InstalledDataset.all.map(\.name),
                                              generators: DatasetGenerator.allCases.map(\.rawValue))
        }
        let bytes = try DatasetFile.read(nameOrPath)
        if IDXLoader.looksLikeIDX(bytes) {
            let labelsPath = try options.labelsPath ?? IDXLoader.labelsPath(forImages: nameOrPath)
            return try IDXLoader.parse(images: bytes, imagesPath: nameOrPath,
                                       labels: DatasetFile.read(labelsPath), labelsPath: labelsPath,
                                       classNames: options.classNames)
        }
        return try CSVLoader.parse(bytes, path: nameOrPath, options: CSVOptions(
            labelColumn: options.labelColumn, classNames: options.classNames, sampleShape: options.sampleShape))
    }
}
