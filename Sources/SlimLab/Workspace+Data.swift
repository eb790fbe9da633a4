/// What a workspace lacks for a request.
public enum WorkspaceError: Error, CustomStringConvertible, Equatable {
    /// No dataset is loaded; `purpose` is what needed one (`finetune`, `distill`).
    case noData(purpose: String)

    public var description: String {
        switch self {
        case .noData(let purpose):
            return "no data loaded yet: \(purpose) needs a dataset; load one with 'data load digits'"
        }
    }
}

extension Workspace {
    /// The loaded data, or the one "no data" error naming what needed it. Every technique and
    /// every command that reads the dataset asks here.
    public func requireData(_ purpose: String) throws(WorkspaceError) -> DatasetSplit {
        guard let data else { throw .noData(purpose: purpose) }
        return data
    }
}
