/// Whether this build carries the AVX-512 VNNI int8 kernel. Portable builds do not.
public var vnniKernelCompiled: Bool {
    #if arch(x86_64) && !SLIMLAB_PORTABLE
    return true
    #else
    return false
    #endif
}

/// Rows of the int8 micro-tile every path uses (the activation packing depends on it): 12 rows
/// × 2 vectors = 24 accumulators, plus 2 weight vectors and 1 broadcast, fit the 32 AVX-512
/// registers without spilling.
public let int8TileRows = 12
