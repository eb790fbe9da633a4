import Foundation
import SlimKernels

/// A whole workspace in a folder: every variant as a model file (`variants/NAME.safetensors`,
/// each in its stored form, see `ModelFile`) and a manifest, `session.json`, holding what the
/// files do not: the order of the variants, the current one and the baseline, each variant's
/// lineage (origin, parent, training runs by epoch), the session seed, and how the dataset was
/// loaded (name or path, loader options, split), so that loading reloads it with the same split.
///
/// Saving writes the complete folder under a temporary name beside it and then renames it into
/// place (an earlier session folder there is replaced only once the new one is whole). Loading
/// reads and checks everything — manifest, every model file, the dataset — before it changes
/// anything, so a damaged folder gives an error and the session stays as it was.
public enum SessionFolder {
    /// The value of `format` in the manifests SlimLab writes.
    public static let formatName = "slimlab-session-1"
    /// The manifest's file name in the folder.
    public static let manifestName = "session.json"
    /// The folder of the model files.
    public static let variantsFolder = "variants"

    struct Manifest: Codable, Equatable {
        var format: String
        var seed: UInt64
        var current: String?
        /// The baseline chosen with `model baseline`, if any (otherwise the first trained).
        var baseline: String?
        var dataset: DatasetEntry?
        var variants: [VariantEntry]
    }

    struct DatasetEntry: Codable, Equatable {
        var source: String
        var test: Double
        /// Absent in folders written before `val=` existed: none held out.
        var validation: Double?
        var seed: UInt64
        var normalize: String
        var count: Int?
        var noise: Double?
        var classes: Int?
        var generatorSeed: UInt64
        var label: String?
        var labels: String?
        var classNames: [String]?
        var sampleShape: [Int]?
    }

    struct VariantEntry: Codable, Equatable {
        var name: String
        var file: String
        var origin: String
        var parent: String?
        var runs: [RunEntry]
    }

    /// One training run: its settings that matter for display, and every epoch's numbers.
    struct RunEntry: Codable, Equatable {
        var epochs: Int
        var learningRate: Float
        var batchSize: Int
        var optimizer: String
        var seed: UInt64
        var trainCount: Int
        var testCount: Int
        var stopped: Bool
        var steps: Int
        var seconds: Double
        var records: [EpochEntry]
    }

    struct EpochEntry: Codable, Equatable {
        var epoch: Int
        var modelEpoch: Int
        var loss: Double
        var trainAccuracy: Double
        var testAccuracy: Double?
        var learningRate: Float
        var batchesDone: Int
        var batches: Int
        var seconds: Double
    }

    /// What a session folder holds, read and checked.
    struct Contents {
        var manifest: Manifest
        var variants: VariantTable
        var data: DatasetSplit?
        var recipe: DatasetRecipe?
    }
}

/// What `session save` wrote or `session load` read.
public struct SessionSummary: Sendable, Equatable {
    public var folder: String
    public var variantNames: [String]
    public var currentName: String?
    /// The dataset's name, when one was saved or reloaded.
    public var datasetName: String?
    /// Bytes of all files in the folder.
    public var byteCount: Int
    /// Why the loaded data is not kept, when the session has data that `data load` did not load.
    public var dataNotKept: Bool
}

/// Why a session folder could not be written or read; the session is unchanged.
public enum SessionFolderError: Error, CustomStringConvertible, Equatable {
    case notASessionFolder(path: String)
    case missingManifest(path: String)
    case badManifest(path: String, reason: String)
    case badVariant(path: String, name: String, reason: String)
    case datasetUnavailable(path: String, source: String, reason: String)
    case writeFailed(path: String, reason: String)
    case wouldLoseVariants(names: [String])

    public var description: String {
        switch self {
        case let .notASessionFolder(path):
            return "'\(path)' exists and is not a session folder (it has no \(SessionFolder.manifestName)); choose a new folder name"
        case let .missingManifest(path):
            return "'\(path)' is not a saved session: it has no \(SessionFolder.manifestName) (write one with 'session save \(path)')"
        case let .badManifest(path, reason):
            return "'\(path)/\(SessionFolder.manifestName)' is damaged: \(reason)"
        case let .badVariant(path, name, reason):
            return "'\(path)': the model file of variant \(name) is damaged: \(reason)"
        case let .datasetUnavailable(path, source, reason):
            return "'\(path)': its dataset '\(source)' cannot be loaded again: \(reason)"
        case let .writeFailed(path, reason):
            return "cannot write the session folder '\(path)': \(reason); nothing was replaced"
        case let .wouldLoseVariants(names):
            return "loading a session replaces this one, whose \(names.count == 1 ? "variant" : "variants") "
                + "\(names.joined(separator: ", ")) \(names.count == 1 ? "is" : "are") not saved; "
                + "keep them with 'session save DIR' first, or load with replace=yes"
        }
    }
}

extension SessionFolder {
    // MARK: Writing

    /// Writes `workspace` into the folder `path` as a whole (see the type's documentation).
    static func write(_ workspace: Workspace, to path: String) throws -> SessionSummary {
        let folder = URL(fileURLWithPath: path).standardizedFileURL
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            let manifest = folder.appendingPathComponent(manifestName).path
            let empty = isDirectory.boolValue && ((try? manager.contentsOfDirectory(atPath: folder.path))?.isEmpty ?? false)
            guard isDirectory.boolValue, empty || manager.fileExists(atPath: manifest) else {
                throw SessionFolderError.notASessionFolder(path: path)
            }
        }
        // Everything is encoded before anything is written.
        var files: [(name: String, bytes: [UInt8])] = []
        var entries: [VariantEntry] = []
        for variant in workspace.variants.variants {
            let file = "\(variantsFolder)/\(variant.name).safetensors"
            files.append((file, try ModelFile.encode(variant.model, name: variant.name).encoded()))
            entries.append(VariantEntry(name: variant.name, file: file, origin: variant.origin, parent: variant.parent,
                                        runs: variant.trainingRuns.map(RunEntry.init)))
        }
        let recipe = workspace.keptDataRecipe
        let manifest = Manifest(format: formatName, seed: workspace.seed, current: workspace.variants.currentName,
                                baseline: workspace.variants.explicitBaselineName,
                                dataset: recipe.map(DatasetEntry.init), variants: entries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let manifestBytes = [UInt8](try encoder.encode(manifest))

        let pid = ProcessInfo.processInfo.processIdentifier
        let temporary = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).\(pid).tmp")
        let old = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).\(pid).old")
        try? manager.removeItem(at: temporary)
        do {
            try manager.createDirectory(at: temporary.appendingPathComponent(variantsFolder), withIntermediateDirectories: true)
            for (name, bytes) in files {
                try Data(bytes).write(to: temporary.appendingPathComponent(name))
            }
            // The manifest last: a folder without it is no session.
            try Data(manifestBytes).write(to: temporary.appendingPathComponent(manifestName))
            let replacing = manager.fileExists(atPath: folder.path)
            if replacing {
                try? manager.removeItem(at: old)
                try move(folder, to: old)
            }
            do {
                try move(temporary, to: folder)
            } catch {
                if replacing { try? move(old, to: folder) }
                throw error
            }
            if replacing { try? manager.removeItem(at: old) }
        } catch {
            try? manager.removeItem(at: temporary)
            if let error = error as? SessionFolderError { throw error }
            throw SessionFolderError.writeFailed(path: path, reason: "\(error.localizedDescription)")
        }
        return SessionSummary(folder: path, variantNames: workspace.variants.names, currentName: workspace.variants.currentName,
                              datasetName: recipe == nil ? nil : workspace.data?.train.name,
                              byteCount: files.reduce(manifestBytes.count) { $0 + $1.bytes.count },
                              dataNotKept: workspace.data != nil && recipe == nil)
    }

    private static func move(_ from: URL, to: URL) throws {
        if rename(from.path, to.path) != 0 {
            throw SessionFolderError.writeFailed(path: to.path, reason: String(cString: strerror(errno)))
        }
    }

    // MARK: Reading

    /// Reads and checks the session folder at `path`.
    static func read(from path: String, catalog: DatasetCatalog) throws -> Contents {
        let folder = URL(fileURLWithPath: path).standardizedFileURL
        let manifestURL = folder.appendingPathComponent(manifestName)
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw SessionFolderError.missingManifest(path: path)
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch let error as DecodingError {
            throw SessionFolderError.badManifest(path: path, reason: Self.describe(error))
        }
        guard manifest.format == formatName else {
            throw SessionFolderError.badManifest(path: path, reason: "format '\(manifest.format)' is not \(formatName)")
        }
        var table = VariantTable()
        for entry in manifest.variants {
            // A file must lie inside the folder's variants/ (no "..", no absolute path).
            let parts = entry.file.split(separator: "/")
            guard parts.count == 2, parts[0] == Substring(variantsFolder), !parts[1].hasPrefix("."),
                  parts[1].hasSuffix(".safetensors") else {
                throw SessionFolderError.badManifest(path: path, reason: "variant \(entry.name) names the file '\(entry.file)', not one in \(variantsFolder)/")
            }
            let model: Model
            do {
                model = try ModelFile.read(from: folder.appendingPathComponent(entry.file).path).model
            } catch {
                throw SessionFolderError.badVariant(path: path, name: entry.name, reason: "\(error)")
            }
            var variant = Variant(name: entry.name, model: model, origin: entry.origin, parent: entry.parent)
            variant.trainingRuns = entry.runs.map { $0.report() }
            do {
                try table.add(variant)
            } catch {
                throw SessionFolderError.badManifest(path: path, reason: "\(error)")
            }
        }
        do {
            if let current = manifest.current { try table.use(current) }
            if let baseline = manifest.baseline { try table.setBaseline(baseline) }
        } catch {
            throw SessionFolderError.badManifest(path: path, reason: "\(error)")
        }
        guard let entry = manifest.dataset else { return Contents(manifest: manifest, variants: table) }
        guard let recipe = entry.recipe else {
            throw SessionFolderError.badManifest(path: path, reason: "dataset normalize '\(entry.normalize)' is not one of "
                                                 + Normalization.Method.allCases.map(\.rawValue).joined(separator: ", "))
        }
        do {
            let split = try recipe.load(catalog: catalog)
            return Contents(manifest: manifest, variants: table, data: split, recipe: recipe)
        } catch {
            throw SessionFolderError.datasetUnavailable(path: path, source: entry.source, reason: "\(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "it is not JSON" : "\(Self.path(context.codingPath)): \(context.debugDescription)"
        case let .keyNotFound(key, context):
            return "\(Self.path(context.codingPath + [key])) is missing"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "\(Self.path(context.codingPath)) has the wrong type"
        @unknown default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.hasPrefix(".") ? String(text.dropFirst()) : text
    }
}

extension SessionFolder.DatasetEntry {
    init(_ recipe: DatasetRecipe) {
        self.init(source: recipe.source, test: recipe.testFraction,
                  validation: recipe.validationFraction == 0 ? nil : recipe.validationFraction, seed: recipe.seed, normalize: recipe.normalization.rawValue,
                  count: recipe.options.count, noise: recipe.options.noise, classes: recipe.options.classes,
                  generatorSeed: recipe.options.seed, label: recipe.options.labelColumn, labels: recipe.options.labelsPath,
                  classNames: recipe.options.classNames, sampleShape: recipe.options.sampleShape)
    }

    var recipe: DatasetRecipe? {
        guard let method = Normalization.Method(rawValue: normalize) else { return nil }
        let options = DatasetLoadOptions(count: count, noise: noise, classes: classes, seed: generatorSeed, labelColumn: label,
                                         labelsPath: labels, classNames: classNames, sampleShape: sampleShape)
        return DatasetRecipe(source: source, options: options, testFraction: test, validationFraction: validation ?? 0,
                             seed: seed, normalization: method)
    }
}

extension SessionFolder.RunEntry {
    init(_ report: TrainingReport) {
        self.init(epochs: report.options.epochs, learningRate: report.options.learningRate, batchSize: report.options.batchSize,
                  optimizer: report.options.optimizer.rawValue, seed: report.options.seed, trainCount: report.trainCount,
                  testCount: report.testCount, stopped: report.stopped, steps: report.steps, seconds: report.seconds,
                  records: report.epochs.map {
                      SessionFolder.EpochEntry(epoch: $0.epoch, modelEpoch: $0.modelEpoch, loss: $0.loss,
                                               trainAccuracy: $0.trainAccuracy, testAccuracy: $0.testAccuracy,
                                               learningRate: $0.learningRate, batchesDone: $0.batchesDone,
                                               batches: $0.batches, seconds: $0.seconds)
                  })
    }

    /// The run as a report (without the last update's worked example, which is not kept).
    func report() -> TrainingReport {
        var options = TrainingOptions()
        options.epochs = epochs
        options.learningRate = learningRate
        options.batchSize = batchSize
        options.optimizer = TrainingOptions.OptimizerKind(rawValue: optimizer) ?? options.optimizer
        options.seed = seed
        return TrainingReport(options: options, trainCount: trainCount, testCount: testCount,
                              epochs: records.map {
                                  EpochRecord(epoch: $0.epoch, modelEpoch: $0.modelEpoch, loss: $0.loss,
                                              trainAccuracy: $0.trainAccuracy, testAccuracy: $0.testAccuracy,
                                              learningRate: $0.learningRate, batchesDone: $0.batchesDone,
                                              batches: $0.batches, seconds: $0.seconds)
                              },
                              stopped: stopped, steps: steps, lastUpdate: nil, seconds: seconds)
    }
}

/// Saving and loading the whole session.
extension Workspace {
    /// The recipe of the loaded dataset, when the data still came from it.
    var keptDataRecipe: DatasetRecipe? {
        guard let recipe = dataRecipe, let data, recipe.datasetName == nil || recipe.datasetName == data.train.name,
              recipe.testFraction == data.testFraction, recipe.seed == data.seed else { return nil }
        return recipe
    }

    /// Writes the whole workspace into the folder `path` (see `SessionFolder`); every variant
    /// is kept afterwards.
    @discardableResult
    public func saveSession(to path: String) throws -> SessionSummary {
        let summary = try SessionFolder.write(self, to: path)
        for variant in variants.variants { keptVariants.record(variant) }
        return summary
    }

    /// Replaces the workspace with the session saved in the folder `path`: its variants,
    /// current variant, baseline, seed and dataset (reloaded with the same split). Unless
    /// `replacing`, refuses to drop variants that are not saved. On any error nothing changes.
    @discardableResult
    public func loadSession(from path: String, replacing: Bool = false,
                            catalog: DatasetCatalog = .standard()) throws -> SessionSummary {
        let unsaved = unsavedVariantNames
        if !replacing, !unsaved.isEmpty { throw SessionFolderError.wouldLoseVariants(names: unsaved) }
        let contents = try SessionFolder.read(from: path, catalog: catalog)
        variants = contents.variants
        seed = contents.manifest.seed
        data = contents.data
        dataRecipe = contents.recipe
        dataRecipe?.datasetName = contents.data?.train.name
        lastTrace = nil
        lastDistillation = nil
        keptVariants.removeAll()
        for variant in variants.variants { keptVariants.record(variant) }
        return SessionSummary(folder: path, variantNames: variants.names, currentName: variants.currentName,
                              datasetName: contents.data?.train.name, byteCount: 0, dataNotKept: false)
    }
}
