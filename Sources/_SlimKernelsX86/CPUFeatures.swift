/// Whether this build carries the AVX-512 VNNI int8 kernel. Portable builds do not.
public var vnniKernelCompiled: Bool {
    #if arch(x86_64) && !SLIMLAB_PORTABLE
    return true
    #else
    return false
    #endif
}
