/// Where 1-D k-means starts its centroids (the choices of TF-MOT's `cluster_weights`).
///
/// Han et al. (Deep Compression, §3.2) found linear initialization best: it keeps centroids at
/// the large weights, which are few but matter most, where density-based and random (Forgy)
/// starts crowd the centroids around zero.
public enum CentroidInitialization: String, Sendable, CaseIterable {
    /// Evenly spaced from the smallest to the largest weight: c_j = min + (max − min)·j/(k − 1).
    case linear
    /// Evenly spaced in the cumulative distribution: c_j = the (j + ½)/k quantile.
    case density
    /// Forgy: k distinct weights drawn at random (seeded).
    case random
    /// k-means++: the first at random, each next one drawn with probability ∝ D², the squared
    /// distance to the nearest centroid chosen so far (seeded).
    case kmeansPlusPlus = "kmeans++"
}
