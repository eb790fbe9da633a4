/// Whether this build carries the AVX2 + FMA kernels (x86-64 builds do; other architectures
/// compile this target to nothing). Call them only where the CPU has AVX2 and FMA.
public var avx2KernelsCompiled: Bool {
    #if arch(x86_64)
    return true
    #else
    return false
    #endif
}

/// How a micro-kernel merges its finished tile `t` into C, as one integer so every kernel
/// target agrees without sharing a type: 0 `C = α·t` (C not read), 1 `C = α·t + β·C`,
/// 2 `C = α·t + C`. `α·t` is skipped when α is 1; no step is fused, so every path rounds the
/// same way.
public typealias TileMerge = Int32
