/// The one check that a model fits the session's data, for commands to call before they
/// start: a dataset loaded after the model was made (`data load iris` under a digits model)
/// then gives one clear error, never a crash in the kernels.
extension Workspace {
    /// Checks that variant `name` (the current one when nil) takes the loaded data's samples
    /// and has one output per class; without data there is nothing to check.
    public func checkModelFitsData(_ name: String? = nil) throws {
        guard let data else { return }
        let variant = try variants.variant(named: name)
        do {
            try variant.model.checkCompatible(with: data.train)
        } catch let error as ModelError {
            throw DataFitError(variant: variant.name, reason: error)
        }
    }
}

/// A variant that does not fit the loaded data.
public struct DataFitError: Error, CustomStringConvertible, Equatable {
    public var variant: String
    public var reason: ModelError

    public var description: String {
        "'\(variant)' does not fit the loaded data: \(reason) — load data it fits, or make a model for this data ('model new …')"
    }
}
