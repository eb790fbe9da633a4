/// Whether this build carries the AVX-512 kernels (x86-64 builds do; other architectures
/// compile this target to nothing). Call them only where the CPU has AVX-512 F, BW, VL and
/// VNNI: the target is compiled for Ice Lake server, so its code may use any of them.
public var avx512KernelsCompiled: Bool {
    #if arch(x86_64)
    return true
    #else
    return false
    #endif
}

/// How a micro-kernel merges its finished tile `t` into C (the same codes as the AVX2
/// target's): 0 `C = α·t` (C not read), 1 `C = α·t + β·C`, 2 `C = α·t + C`. `α·t` is skipped
/// when α is 1; no step is fused, so every path rounds the same way.
public typealias TileMerge512 = Int32
