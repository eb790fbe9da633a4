/// A dataset that a system package installs (not shipped in `Datasets/`), with its official
/// training and test files.
///
/// Fashion-MNIST (Zalando Research, MIT license): 60,000 training and 10,000 test images of
/// 28×28 gray pixels in 10 classes of clothing, a drop-in replacement for MNIST that is harder
/// to classify. Debian's `dataset-fashion-mnist` puts its four gzip'd IDX files in
/// `/usr/share/datasets/fashion-mnist/`.
public struct InstalledDataset: Sendable, Equatable {
    /// The name `data load` knows it by.
    public var name: String
    /// The folder's name under the catalog's installed root (`/usr/share/datasets`).
    public var folderName: String
    /// The system package that installs it.
    public var package: String
    public var trainImages: String
    public var trainLabels: String
    public var testImages: String
    public var testLabels: String
    /// The class names, indexed by label.
    public var classNames: [String]
    /// One line for listings.
    public var summary: String

    /// The shell command that installs the package.
    public var installCommand: String { "sudo apt-get install \(package)" }

    /// Zalando's Fashion-MNIST, with its class names from the data set's README.
    public static let fashionMNIST = InstalledDataset(
        name: "fashion-mnist", folderName: "fashion-mnist", package: "dataset-fashion-mnist",
        trainImages: "train-images-idx3-ubyte.gz", trainLabels: "train-labels-idx1-ubyte.gz",
        testImages: "t10k-images-idx3-ubyte.gz", testLabels: "t10k-labels-idx1-ubyte.gz",
        classNames: ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                     "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        summary: "Zalando's Fashion-MNIST: 60,000 train + 10,000 test images of 28×28, 10 classes")

    /// Every installed dataset SlimLab knows.
    public static let all: [InstalledDataset] = [.fashionMNIST]
}
