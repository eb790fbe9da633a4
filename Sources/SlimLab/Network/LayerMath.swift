import SlimKernels

/// The small elementwise and reshaping loops the layers need around their GEMMs.
///
/// Every loop here runs on one thread in a fixed order, so results do not depend on the pool's
/// thread count; reductions (bias gradients) accumulate row by row in the same order always.
enum LayerMath {
    /// y[i, j] += bias[j] for a rows×columns matrix.
    static func addBias(_ y: UnsafeMutablePointer<Float>, rows: Int, columns: Int,
                        bias: UnsafePointer<Float>) {
        for i in 0..<rows {
            let row = y + i * columns
            for j in 0..<columns { row[j] += bias[j] }
        }
    }

    /// sums[j] = Σᵢ x[i, j] for a rows×columns matrix (row by row, always in the same order).
    static func columnSums(_ x: UnsafePointer<Float>, rows: Int, columns: Int,
                           into sums: UnsafeMutablePointer<Float>) {
        sums.update(repeating: 0, count: columns)
        for i in 0..<rows {
            let row = x + i * columns
            for j in 0..<columns { sums[j] += row[j] }
        }
    }

    /// max(0, x), elementwise.
    static func relu(_ input: Tensor<Float>) -> Tensor<Float> {
        Tensor(shape: input.shape) { output in
            input.withUnsafeBufferPointer { x in
                for i in 0..<x.count { output[i] = x[i] > 0 ? x[i] : 0 }
            }
        }
    }

    /// g · [output > 0], elementwise: the ReLU backward, from the forward's output.
    static func reluGradient(_ gradient: Tensor<Float>, output: Tensor<Float>) -> Tensor<Float> {
        Tensor(shape: gradient.shape) { result in
            gradient.withUnsafeBufferPointer { g in
                output.withUnsafeBufferPointer { y in
                    for i in 0..<g.count { result[i] = y[i] > 0 ? g[i] : 0 }
                }
            }
        }
    }

    /// Rearranges an NCHW batch into rows of receptive fields: row (b, oy, ox) holds the
    /// input values under the kernel at that output position, ordered (channel, ky, kx) like a
    /// flattened [out, in, k, k] weight; positions in the padding read 0.
    static func im2col(_ input: UnsafePointer<Float>, batch: Int, channels: Int, height: Int,
                       width: Int, kernel: Int, stride: Int, padding: Int,
                       outputHeight: Int, outputWidth: Int,
                       into columns: UnsafeMutablePointer<Float>) {
        let rowLength = channels * kernel * kernel
        var row = columns
        for b in 0..<batch {
            let image = input + b * channels * height * width
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    var p = 0
                    for c in 0..<channels {
                        let plane = image + c * height * width
                        for ky in 0..<kernel {
                            let y = oy * stride - padding + ky
                            for kx in 0..<kernel {
                                let x = ox * stride - padding + kx
                                row[p] = (y >= 0 && y < height && x >= 0 && x < width) ? plane[y * width + x] : 0
                                p += 1
                            }
                        }
                    }
                    row += rowLength
                }
            }
        }
    }

    /// The adjoint of `im2col`: adds every row's entries back onto the input positions they
    /// were read from (padding positions are dropped). `image` must start zeroed.
    static func col2im(_ columns: UnsafePointer<Float>, batch: Int, channels: Int, height: Int,
                       width: Int, kernel: Int, stride: Int, padding: Int,
                       outputHeight: Int, outputWidth: Int,
                       into images: UnsafeMutablePointer<Float>) {
        let rowLength = channels * kernel * kernel
        var row = columns
        for b in 0..<batch {
            let image = images + b * channels * height * width
            for oy in 0..<outputHeight {
                for ox in 0..<outputWidth {
                    var p = 0
                    for c in 0..<channels {
                        let plane = image + c * height * width
                        for ky in 0..<kernel {
                            let y = oy * stride - padding + ky
                            for kx in 0..<kernel {
                                let x = ox * stride - padding + kx
                                if y >= 0 && y < height && x >= 0 && x < width {
                                    plane[y * width + x] += row[p]
                                }
                                p += 1
                            }
                        }
                    }
                    row += rowLength
                }
            }
        }
    }

    /// [batch, positions, channels] → [batch, channels, positions] (NHWC rows to NCHW planes).
    static func transposeInnerTwo(_ source: UnsafePointer<Float>, batch: Int, rows: Int,
                                  columns: Int, into target: UnsafeMutablePointer<Float>) {
        for b in 0..<batch {
            let s = source + b * rows * columns, t = target + b * rows * columns
            for i in 0..<rows {
                for j in 0..<columns { t[j * rows + i] = s[i * columns + j] }
            }
        }
    }
}
