/// The shape of a 2-D convolution or pooling window over one NCHW image: input channels and
/// size, kernel size, stride and zero padding. Output size follows PyTorch:
/// `out = ⌊(in + 2·padding − kernel) / stride⌋ + 1`.
public struct ConvolutionGeometry: Sendable, Equatable {
    public var channels: Int
    public var height: Int
    public var width: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideY: Int
    public var strideX: Int
    public var paddingY: Int
    public var paddingX: Int

    public init(channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int,
                stride: Int = 1, padding: Int = 0) {
        self.init(channels: channels, height: height, width: width, kernelHeight: kernelHeight,
                  kernelWidth: kernelWidth, strideY: stride, strideX: stride,
                  paddingY: padding, paddingX: padding)
    }

    public init(channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int,
                strideY: Int, strideX: Int, paddingY: Int, paddingX: Int) {
        precondition(channels >= 0 && height >= 0 && width >= 0,
                     "ConvolutionGeometry: negative input size \(channels)×\(height)×\(width)")
        precondition(kernelHeight >= 1 && kernelWidth >= 1,
                     "ConvolutionGeometry: kernel \(kernelHeight)×\(kernelWidth) must be at least 1×1")
        precondition(strideY >= 1 && strideX >= 1, "ConvolutionGeometry: stride \(strideY)×\(strideX) must be ≥ 1")
        precondition(paddingY >= 0 && paddingX >= 0, "ConvolutionGeometry: padding \(paddingY)×\(paddingX) must be ≥ 0")
        self.channels = channels
        self.height = height
        self.width = width
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideY = strideY
        self.strideX = strideX
        self.paddingY = paddingY
        self.paddingX = paddingX
    }

    /// Output rows; 0 when the padded input is smaller than the kernel.
    public var outputHeight: Int {
        let span = height + 2 * paddingY - kernelHeight
        return span < 0 ? 0 : span / strideY + 1
    }
    /// Output columns; 0 when the padded input is smaller than the kernel.
    public var outputWidth: Int {
        let span = width + 2 * paddingX - kernelWidth
        return span < 0 ? 0 : span / strideX + 1
    }
    /// Rows of the column matrix: `channels · kernelHeight · kernelWidth`, one per weight of a filter.
    public var patchSize: Int { channels * kernelHeight * kernelWidth }
    /// Columns of the column matrix for one image: `outputHeight · outputWidth`.
    public var outputPixels: Int { outputHeight * outputWidth }
    /// Elements of one input image: `channels · height · width`.
    public var imageSize: Int { channels * height * width }
}

/// Unfolds `batch` `C×H×W` images (one after the other from `image`) into the `patchSize ×
/// outputPixels` column matrix, so that a convolution becomes one GEMM:
/// `Y[outC, pixels] = W[outC, patchSize] · columns`.
///
/// Row `(c·kh + ky)·kw + kx` holds input `(c, oy·sy − py + ky, ox·sx − px + kx)` at column
/// `oy·outputWidth + ox` (zero where that falls in the padding). Rows are `ldColumns` apart,
/// and the images are laid side by side: image `n` at `columns + n·outputPixels`, so a batch
/// takes `ldColumns = N·outputPixels`.
///
/// Wide images (16 output columns and more, stride 1) are copied row piece by row piece.
/// Narrow ones — the 8×8 and 4×4 maps of small networks, where that spent most of the time on
/// loop control — read every channel plane through one table of offsets (see `PatchOffsets`),
/// one gather per element.
public func im2col(
    _ image: UnsafePointer<Float>, batch: Int = 1, geometry g: ConvolutionGeometry,
    columns: UnsafeMutablePointer<Float>, ldColumns: Int
) {
    let pixels = g.outputPixels
    precondition(ldColumns >= batch * pixels, "im2col: ldColumns \(ldColumns) < \(batch * pixels) output pixels")
    if g.strideX == 1 && g.outputWidth >= 16 {
        for n in 0..<batch {
            im2colByRows(image + n * g.imageSize, geometry: g, columns: columns + n * pixels, ldColumns: ldColumns)
        }
        return
    }
    PatchOffsets.with(g) { offsets in
        let planeSize = g.height * g.width
        // One channel plane followed by `pixels` zeros, where the padding reads.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: planeSize + pixels) { buffer in
            let plane = buffer.baseAddress!
            for i in planeSize..<(planeSize + pixels) { plane[i] = 0 }
            for n in 0..<batch {
                for c in 0..<g.channels {
                    plane.update(from: image + (n * g.channels + c) * planeSize, count: planeSize)
                    for tap in 0..<offsets.taps {
                        let row = columns + (c * offsets.taps + tap) * ldColumns + n * pixels
                        let index = offsets.table + tap * pixels
                        for p in 0..<pixels { row[p] = plane[Int(index[p])] }
                    }
                }
            }
        }
    }
}

/// `im2col` of one image with stride 1, by pieces of rows.
func im2colByRows(
    _ image: UnsafePointer<Float>, geometry g: ConvolutionGeometry,
    columns: UnsafeMutablePointer<Float>, ldColumns: Int
) {
    let oh = g.outputHeight, ow = g.outputWidth
    for c in 0..<g.channels {
        let plane = image + c * g.height * g.width
        for ky in 0..<g.kernelHeight {
            for kx in 0..<g.kernelWidth {
                let row = columns + ((c * g.kernelHeight + ky) * g.kernelWidth + kx) * ldColumns
                // Output columns whose input column ox − px + kx lies inside the image.
                let first = min(ow, max(0, g.paddingX - kx)), last = max(first, min(ow, g.width + g.paddingX - kx))
                for oy in 0..<oh {
                    let iy = oy * g.strideY - g.paddingY + ky
                    let out = row + oy * ow
                    if iy < 0 || iy >= g.height {
                        out.update(repeating: 0, count: ow)
                        continue
                    }
                    out.update(repeating: 0, count: first)
                    (out + first).update(from: plane + iy * g.width + (first - g.paddingX + kx), count: last - first)
                    (out + last).update(repeating: 0, count: ow - last)
                }
            }
        }
    }
}

/// For every kernel tap `(ky, kx)` and output pixel, the offset in a channel plane of the input
/// element the tap reads there, or — in the padding — `planeSize + pixel`, past the plane (a
/// zero for `im2col`, a slot of its own that is thrown away for `col2im`).
struct PatchOffsets {
    let table: UnsafePointer<Int32>
    let taps: Int

    static func with<R>(_ g: ConvolutionGeometry, _ body: (PatchOffsets) -> R) -> R {
        let oh = g.outputHeight, ow = g.outputWidth, pixels = oh * ow, taps = g.kernelHeight * g.kernelWidth
        let planeSize = g.height * g.width
        precondition(planeSize + pixels <= Int(Int32.max), "im2col: the image is too large")
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: taps * pixels) { buffer in
            let table = buffer.baseAddress!
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let row = table + (ky * g.kernelWidth + kx) * pixels
                    for oy in 0..<oh {
                        let iy = oy * g.strideY - g.paddingY + ky
                        for ox in 0..<ow {
                            let ix = ox * g.strideX - g.paddingX + kx
                            let p = oy * ow + ox
                            let inside = iy >= 0 && iy < g.height && ix >= 0 && ix < g.width
                            row[p] = Int32(inside ? iy * g.width + ix : planeSize + p)
                        }
                    }
                }
            }
            return body(PatchOffsets(table: UnsafePointer(table), taps: taps))
        }
    }
}

/// The adjoint of `im2col`, for the convolution's input gradient: sums every column-matrix
/// entry back onto the image element it was copied from. `image` (`batch` images of `C×H×W`)
/// is overwritten. Each image element receives its terms in the order of the kernel taps,
/// starting from 0.
public func col2im(
    _ columns: UnsafePointer<Float>, ldColumns: Int, batch: Int = 1, geometry g: ConvolutionGeometry,
    image: UnsafeMutablePointer<Float>
) {
    let pixels = g.outputPixels
    precondition(ldColumns >= batch * pixels, "col2im: ldColumns \(ldColumns) < \(batch * pixels) output pixels")
    if g.strideX == 1 && g.outputWidth >= 16 {
        for n in 0..<batch {
            col2imByRows(columns + n * pixels, ldColumns: ldColumns, geometry: g, image: image + n * g.imageSize)
        }
        return
    }
    PatchOffsets.with(g) { offsets in
        let planeSize = g.height * g.width
        // One channel plane and a slot per pixel for the terms that fall in the padding.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: planeSize + pixels) { buffer in
            let plane = buffer.baseAddress!
            for n in 0..<batch {
                for c in 0..<g.channels {
                    for i in 0..<(planeSize + pixels) { plane[i] = 0 }
                    for tap in 0..<offsets.taps {
                        let row = columns + (c * offsets.taps + tap) * ldColumns + n * pixels
                        let index = offsets.table + tap * pixels
                        for p in 0..<pixels { plane[Int(index[p])] += row[p] }
                    }
                    (image + (n * g.channels + c) * planeSize).update(from: plane, count: planeSize)
                }
            }
        }
    }
}

/// `col2im` of one image with stride 1, by pieces of rows (the same order of terms).
func col2imByRows(
    _ columns: UnsafePointer<Float>, ldColumns: Int, geometry g: ConvolutionGeometry,
    image: UnsafeMutablePointer<Float>
) {
    let oh = g.outputHeight, ow = g.outputWidth
    image.update(repeating: 0, count: g.imageSize)
    for c in 0..<g.channels {
        let plane = image + c * g.height * g.width
        for ky in 0..<g.kernelHeight {
            for kx in 0..<g.kernelWidth {
                let row = columns + ((c * g.kernelHeight + ky) * g.kernelWidth + kx) * ldColumns
                let first = min(ow, max(0, g.paddingX - kx)), last = max(first, min(ow, g.width + g.paddingX - kx))
                let shift = kx - g.paddingX
                for oy in 0..<oh {
                    let iy = oy * g.strideY - g.paddingY + ky
                    if iy < 0 || iy >= g.height { continue }
                    let target = plane + iy * g.width + shift, source = row + oy * ow
                    for ox in first..<last { target[ox] += source[ox] }
                }
            }
        }
    }
}

/// The readable definition of `im2col`: one output element at a time.
public func im2colReference(
    _ image: UnsafePointer<Float>, geometry g: ConvolutionGeometry,
    columns: UnsafeMutablePointer<Float>, ldColumns: Int
) {
    for row in 0..<g.patchSize {
        let c = row / (g.kernelHeight * g.kernelWidth)
        let ky = row / g.kernelWidth % g.kernelHeight, kx = row % g.kernelWidth
        for oy in 0..<g.outputHeight {
            for ox in 0..<g.outputWidth {
                let iy = oy * g.strideY - g.paddingY + ky, ix = ox * g.strideX - g.paddingX + kx
                let inside = iy >= 0 && iy < g.height && ix >= 0 && ix < g.width
                columns[row * ldColumns + oy * g.outputWidth + ox] =
                    inside ? image[(c * g.height + iy) * g.width + ix] : 0
            }
        }
    }
}

/// The readable definition of `col2im`.
public func col2imReference(
    _ columns: UnsafePointer<Float>, ldColumns: Int, geometry g: ConvolutionGeometry,
    image: UnsafeMutablePointer<Float>
) {
    for i in 0..<g.imageSize { image[i] = 0 }
    for row in 0..<g.patchSize {
        let c = row / (g.kernelHeight * g.kernelWidth)
        let ky = row / g.kernelWidth % g.kernelHeight, kx = row % g.kernelWidth
        for oy in 0..<g.outputHeight {
            for ox in 0..<g.outputWidth {
                let iy = oy * g.strideY - g.paddingY + ky, ix = ox * g.strideX - g.paddingX + kx
                if iy >= 0 && iy < g.height && ix >= 0 && ix < g.width {
                    image[(c * g.height + iy) * g.width + ix] += columns[row * ldColumns + oy * g.outputWidth + ox]
                }
            }
        }
    }
}

extension Tensor where Element == Float {
    /// The column matrix of this `[N, C, H, W]` batch: shape `[patchSize, N·outputPixels]`,
    /// image `n` in columns `n·outputPixels ..< (n+1)·outputPixels`.
    public func im2col(_ geometry: ConvolutionGeometry) -> Tensor<Float> {
        precondition(rank == 4 && Array(shape[1...]) == [geometry.channels, geometry.height, geometry.width],
                     "im2col: input shape \(shape) does not match [N, \(geometry.channels), \(geometry.height), \(geometry.width)]")
        let batch = shape[0], pixels = geometry.outputPixels
        return Tensor(shape: [geometry.patchSize, batch * pixels]) { columns in
            withUnsafeBufferPointer { x in
                guard batch > 0 && !columns.isEmpty else { return }
                SlimKernels.im2col(x.baseAddress!, batch: batch, geometry: geometry,
                                   columns: columns.baseAddress!, ldColumns: batch * pixels)
            }
        }
    }

    /// The `[N, C, H, W]` image gradient from this `[patchSize, N·outputPixels]` column gradient.
    public func col2im(_ geometry: ConvolutionGeometry, batch: Int) -> Tensor<Float> {
        let pixels = geometry.outputPixels
        precondition(shape == [geometry.patchSize, batch * pixels],
                     "col2im: column shape \(shape) does not match [\(geometry.patchSize), \(batch * pixels)]")
        return Tensor(shape: [batch, geometry.channels, geometry.height, geometry.width]) { image in
            withUnsafeBufferPointer { columns in
                guard !image.isEmpty else { return }
                if columns.isEmpty { image.initialize(repeating: 0); return }
                SlimKernels.col2im(columns.baseAddress!, ldColumns: batch * pixels, batch: batch,
                                   geometry: geometry, image: image.baseAddress!)
            }
        }
    }
}
