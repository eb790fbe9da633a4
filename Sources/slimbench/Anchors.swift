import Foundation

/// The same work as a benchmark case, described for `scripts/anchor_server.py`, which times it
/// with NumPy / SciPy / onnxruntime under the same timing rule.
enum AnchorRequest {
    case matmul(m: Int, n: Int, k: Int, transA: Bool, transB: Bool)
    case matmulInteger(m: Int, n: Int, k: Int)
    case csrTimesDense(rows: Int, columns: Int, batch: Int, density: Double)
    case softmax(rows: Int, columns: Int)
    case relu(count: Int)
    case quantize(count: Int)
    /// One epoch of scikit-learn's MLPClassifier (64-hidden-10, Adam) on digits' 1,347 training samples.
    case mlpEpoch(hidden: Int, batch: Int)
    /// PyTorch on the CPU: one LeNet-300-100 epoch on Fashion-MNIST (Adam), and one evaluation
    /// of its test set; `root` is the folder of the gzip'd IDX files.
    case lenet300Epoch(batch: Int, root: String)
    case lenet300Evaluation(root: String)

    func json(threads: Int, threadCPUClock: Bool) -> String {
        var fields: [String: Any]
        switch self {
        case let .matmul(m, n, k, transA, transB):
            fields = ["kind": "matmul", "m": m, "n": n, "k": k, "transA": transA, "transB": transB]
        case let .matmulInteger(m, n, k):
            fields = ["kind": "matmul_integer", "m": m, "n": n, "k": k, "threads": threads]
        case let .csrTimesDense(rows, columns, batch, density):
            fields = ["kind": "csr_matmat", "rows": rows, "columns": columns, "batch": batch, "density": density]
        case let .softmax(rows, columns):
            fields = ["kind": "softmax", "rows": rows, "columns": columns]
        case let .relu(count):
            fields = ["kind": "relu", "count": count]
        case let .quantize(count):
            fields = ["kind": "quantize", "count": count]
        case let .mlpEpoch(hidden, batch):
            fields = ["kind": "mlp_epoch", "hidden": hidden, "batch": batch]
        case let .lenet300Epoch(batch, root):
            fields = ["kind": "lenet300_epoch", "batch": batch, "root": root, "threads": threads]
        case let .lenet300Evaluation(root):
            fields = ["kind": "lenet300_eval", "root": root, "threads": threads]
        }
        if threadCPUClock { fields["clock"] = "thread" }
        let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

/// What an anchor measured: its median seconds per call and which library did the work.
struct AnchorResult {
    var seconds: Double
    var library: String
}

/// Why anchors could not be measured.
struct AnchorError: Error, CustomStringConvertible {
    var description: String
}

/// Runs one anchor server per thread count (OpenBLAS fixes its thread count when it loads),
/// and asks them to time requests one at a time, between slimbench's own measurements.
final class AnchorClient {
    private var servers: [Int: (process: Process, input: FileHandle, output: FileHandle)] = [:]
    private var pending: [Int: Data] = [:]
    private let python: String
    private let script: String
    private let threadCPUClock: Bool

    /// `python` is the interpreter with NumPy etc.; `script` the path of anchor_server.py;
    /// `threadCPUClock` times the thread's CPU time like `slimbench --cpu-clock`.
    init(python: String, script: String, threadCPUClock: Bool = false) throws {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw AnchorError(description: "anchor python '\(python)' is not an executable; set SLIMLAB_ANCHOR_PYTHON or pass --anchor-python PATH")
        }
        guard FileManager.default.fileExists(atPath: script) else {
            throw AnchorError(description: "anchor script '\(script)' not found; pass --anchor-script PATH")
        }
        self.python = python
        self.script = script
        self.threadCPUClock = threadCPUClock
    }

    /// The default interpreter: `$SLIMLAB_ANCHOR_PYTHON`, else the venv of ANCHORS.md.
    static var defaultPython: String {
        ProcessInfo.processInfo.environment["SLIMLAB_ANCHOR_PYTHON"] ?? "/tmp/anchorenv/bin/python"
    }

    /// `scripts/anchor_server.py` of the package this slimbench was built from.
    static var defaultScript: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/anchor_server.py").path
    }

    func measure(_ request: AnchorRequest, threads: Int) -> Result<AnchorResult, AnchorError> {
        do {
            let server = try self.server(threads: threads)
            server.input.write(Data((request.json(threads: threads, threadCPUClock: threadCPUClock) + "\n").utf8))
            let line = try readLine(threads: threads, from: server.output)
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return .failure(AnchorError(description: "anchor replied '\(line)'"))
            }
            if let seconds = object["seconds"] as? Double {
                return .success(AnchorResult(seconds: seconds, library: object["library"] as? String ?? "?"))
            }
            return .failure(AnchorError(description: object["error"] as? String ?? line))
        } catch let error as AnchorError {
            return .failure(error)
        } catch {
            return .failure(AnchorError(description: "\(error)"))
        }
    }

    private func server(threads: Int) throws -> (process: Process, input: FileHandle, output: FileHandle) {
        if let s = servers[threads] { return s }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script]
        var environment = ProcessInfo.processInfo.environment
        for key in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"] { environment[key] = String(threads) }
        process.environment = environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let s = (process, input.fileHandleForWriting, output.fileHandleForReading)
        servers[threads] = s
        return s
    }

    private func readLine(threads: Int, from handle: FileHandle) throws -> String {
        var buffer = pending[threads] ?? Data()
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                pending[threads] = Data(buffer[(newline + 1)...])
                return line
            }
            let chunk = handle.availableData
            if chunk.isEmpty { throw AnchorError(description: "the anchor server (\(threads) threads) exited") }
            buffer.append(chunk)
        }
    }

    deinit {
        for (_, s) in servers {
            try? s.input.close()
            s.process.waitUntilExit()
        }
    }
}
