/// What can stop weight clustering before it changes anything.
public enum ClusteringError: Error, CustomStringConvertible, Equatable, Sendable {
    case clusterCountOutOfRange(Int)
    case nothingToCluster(layer: String)

    public var description: String {
        switch self {
        case .clusterCountOutOfRange(let k):
            return "k=\(k) is not allowed; expected 2 to \(WeightClustering.maximumClusters) clusters (a power of two uses its index bits fully: 4, 16, 32, 64)"
        case .nothingToCluster(let layer):
            return "\(layer) has no weights left to cluster (all pruned)"
        }
    }
}
