"""Anchor measurements for `slimbench --anchors`: the same work done by NumPy / SciPy /
onnxruntime, timed by the same rule as slimbench, in the same run.

Python is used here only to measure these established libraries; SlimLab itself never runs
Python. slimbench starts one server per thread count (OPENBLAS_NUM_THREADS is read when
OpenBLAS loads), writes one JSON request per line on stdin and reads one JSON reply per line:

  {"kind": "matmul", "m": M, "n": N, "k": K, "transA": false, "transB": true}
  {"kind": "matmul_integer", "m": M, "n": N, "k": K, "threads": T}
  {"kind": "csr_matmat", "rows": R, "columns": C, "batch": B, "density": D}
  {"kind": "softmax", "rows": R, "columns": C}
  {"kind": "relu", "count": N}
  {"kind": "quantize", "count": N}
  {"kind": "mlp_epoch", "hidden": H, "batch": B}   (scikit-learn MLPClassifier, one epoch on digits)
  {"kind": "lenet300_epoch", "batch": B, "threads": T, "root": DIR}   (PyTorch, one Fashion-MNIST epoch)
  {"kind": "lenet300_eval", "threads": T, "root": DIR}   (PyTorch, the 10,000 test images evaluated)
  -> {"seconds": median seconds per call, "library": "numpy 2.4 (OpenBLAS ...)"}  or  {"error": "..."}

A request may add "clock": "thread" to time the calling thread's CPU time instead of wall time
(slimbench --cpu-clock, 1 thread only: on a busy machine it leaves out time spent descheduled).

Requires numpy (and scipy, onnx, onnxruntime for those kinds), e.g. the venv of
/work/shared/ANCHORS.md: python3 -m venv /tmp/anchorenv && /tmp/anchorenv/bin/pip install numpy scipy onnx onnxruntime
"""
import json
import statistics
import sys
import time

MIN_SAMPLE_S = 0.02
SAMPLES = 7
WARMUP = 2


def measure(fn, clock=time.perf_counter):
    for _ in range(WARMUP):
        fn()
    inner = 1
    while True:
        t0 = clock()
        for _ in range(inner):
            fn()
        dt = clock() - t0
        if dt >= MIN_SAMPLE_S or inner >= 1 << 20:
            break
        inner = max(inner * 2, int(inner * MIN_SAMPLE_S / max(dt, 1e-9) * 1.1))
    samples = []
    for _ in range(SAMPLES):
        t0 = clock()
        for _ in range(inner):
            fn()
        samples.append((clock() - t0) / inner)
    return statistics.median(samples)


def matmul(req, rng, np):
    m, n, k = req["m"], req["n"], req["k"]
    a = rng.standard_normal((k, m) if req.get("transA") else (m, k), dtype=np.float32)
    b = rng.standard_normal((n, k) if req.get("transB") else (k, n), dtype=np.float32)
    a = a.T if req.get("transA") else a
    b = b.T if req.get("transB") else b
    c = np.empty((m, n), dtype=np.float32)
    return lambda: np.matmul(a, b, out=c), "numpy %s" % np.__version__


def matmul_integer(req, rng, np):
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper
    m, n, k = req["m"], req["n"], req["k"]
    a = rng.integers(0, 256, (m, k), dtype=np.uint8)
    b = rng.integers(-127, 128, (k, n), dtype=np.int8)
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["A", "B", "azp", "bzp"], ["Y"])], "g",
        [helper.make_tensor_value_info("A", TensorProto.UINT8, [m, k])],
        [helper.make_tensor_value_info("Y", TensorProto.INT32, [m, n])],
        [numpy_helper.from_array(b, "B"), numpy_helper.from_array(np.array(128, np.uint8), "azp"),
         numpy_helper.from_array(np.array(0, np.int8), "bzp")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    so = ort.SessionOptions()
    so.intra_op_num_threads = req.get("threads", 1)
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    binding = sess.io_binding()
    av = ort.OrtValue.ortvalue_from_numpy(a)
    yv = ort.OrtValue.ortvalue_from_numpy(np.empty((m, n), np.int32))
    binding.bind_ortvalue_input("A", av)
    binding.bind_ortvalue_output("Y", yv)

    def call(keep=(av, yv, sess)):
        sess.run_with_iobinding(binding)
    return call, "onnxruntime %s MatMulInteger" % ort.__version__


def csr_matmat(req, rng, np):
    import scipy
    import scipy.sparse as sp
    from scipy.sparse import _sparsetools as st
    r, c, batch = req["rows"], req["columns"], req["batch"]
    w = rng.standard_normal((r, c), dtype=np.float32)
    w[rng.random((r, c)) >= req["density"]] = 0
    wc = sp.csr_matrix(w)
    wc.sort_indices()
    x = rng.standard_normal((c, batch), dtype=np.float32).ravel()
    y = np.zeros(r * batch, np.float32)

    def call():
        y.fill(0)   # csr_matvecs accumulates
        st.csr_matvecs(r, c, batch, wc.indptr, wc.indices, wc.data, x, y)
    return call, "scipy %s csr_matvecs" % scipy.__version__


def softmax(req, rng, np):
    x = rng.standard_normal((req["rows"], req["columns"]), dtype=np.float32)
    z = np.empty_like(x)
    m = np.empty((x.shape[0], 1), np.float32)
    s = np.empty((x.shape[0], 1), np.float32)

    def call():
        np.max(x, axis=1, keepdims=True, out=m)
        np.subtract(x, m, out=z)
        np.exp(z, out=z)
        np.sum(z, axis=1, keepdims=True, out=s)
        np.divide(z, s, out=z)
    return call, "numpy %s" % np.__version__


def relu(req, rng, np):
    x = rng.standard_normal(req["count"], dtype=np.float32)
    y = np.empty_like(x)
    return lambda: np.maximum(x, 0, out=y), "numpy %s" % np.__version__


def quantize(req, rng, np):
    x = rng.standard_normal(req["count"], dtype=np.float32)
    tmp = np.empty_like(x)
    q = np.empty(x.shape, np.int8)
    scale = np.float32(np.abs(x).max() / 127)

    def call():
        np.divide(x, scale, out=tmp)
        np.rint(tmp, out=tmp)
        np.clip(tmp, -128, 127, out=tmp)
        q[...] = tmp
    return call, "numpy %s" % np.__version__


def mlp_epoch(req, rng, np):
    # One epoch (partial_fit) of scikit-learn's MLPClassifier 64-H-10 with Adam, as in
    # /work/shared/anchors/train_anchor.py: digits / 16, 75/25 stratified split (seed 0).
    import warnings
    import sklearn
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier
    d = load_digits()
    x_train, _, y_train, _ = train_test_split(d.data / 16.0, d.target, test_size=0.25,
                                              stratify=d.target, random_state=0)
    clf = MLPClassifier(hidden_layer_sizes=(req["hidden"],), activation="relu", solver="adam",
                        alpha=1e-4, batch_size=req["batch"], learning_rate_init=1e-3, random_state=0,
                        shuffle=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.partial_fit(x_train, y_train, classes=np.arange(10))
    return lambda: clf.partial_fit(x_train, y_train), "scikit-learn %s" % sklearn.__version__


def fashion_mnist(root, np):
    """Fashion-MNIST's gzip'd IDX files, standardized (one mean and deviation of all pixels)."""
    import gzip

    def idx(name):
        with gzip.open("%s/%s" % (root, name)) as f:
            data = f.read()
        dims = data[3]
        shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
        return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)
    train = idx("train-images-idx3-ubyte.gz").reshape(60000, 784).astype(np.float32) / 255
    test = idx("t10k-images-idx3-ubyte.gz").reshape(10000, 784).astype(np.float32) / 255
    mean, std = train.mean(), train.std()
    return ((train - mean) / std, idx("train-labels-idx1-ubyte.gz").astype(np.int64),
            (test - mean) / std, idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))


def lenet300(req, np):
    """LeNet-300-100 in PyTorch on the CPU with the request's thread count, and the data."""
    import torch
    torch.set_num_threads(req.get("threads", 1))
    torch.manual_seed(0)
    x, y, xt, yt = fashion_mnist(req["root"], np)
    model = torch.nn.Sequential(torch.nn.Linear(784, 300), torch.nn.ReLU(), torch.nn.Linear(300, 100),
                                torch.nn.ReLU(), torch.nn.Linear(100, 10))
    return torch, model, (torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(xt), torch.from_numpy(yt))


def lenet300_epoch(req, rng, np):
    # One epoch as SlimLab's trainer does it: shuffled mini-batches, softmax cross-entropy, Adam
    # with L2 weight decay 0.003 on the weights (not the biases), lr 0.005 (SlimLab's cosine
    # schedule changes only the rate).
    torch, model, (x, y, _, _) = lenet300(req, np)
    weights = [p for n, p in model.named_parameters() if n.endswith("weight")]
    biases = [p for n, p in model.named_parameters() if n.endswith("bias")]
    optimizer = torch.optim.Adam([{"params": weights, "weight_decay": 0.003}, {"params": biases}], lr=0.005)
    loss = torch.nn.CrossEntropyLoss()
    batch = req["batch"]

    def epoch():
        order = torch.randperm(x.shape[0])
        for start in range(0, x.shape[0], batch):
            rows = order[start:start + batch]
            optimizer.zero_grad()
            loss(model(x[rows]), y[rows]).backward()
            optimizer.step()
    return epoch, "torch %s" % torch.__version__


def lenet300_eval(req, rng, np):
    torch, model, (_, _, xt, yt) = lenet300(req, np)

    def evaluate():
        with torch.no_grad():
            return (model(xt).argmax(1) == yt).float().mean().item()
    return evaluate, "torch %s" % torch.__version__


KINDS = {"matmul": matmul, "matmul_integer": matmul_integer, "csr_matmat": csr_matmat,
         "softmax": softmax, "relu": relu, "quantize": quantize,
         "mlp_epoch": mlp_epoch, "lenet300_epoch": lenet300_epoch, "lenet300_eval": lenet300_eval}


def main():
    import numpy as np
    rng = np.random.default_rng(0)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            fn, library = KINDS[req["kind"]](req, rng, np)
            clock = time.thread_time if req.get("clock") == "thread" else time.perf_counter
            reply = {"seconds": measure(fn, clock), "library": library}
        except Exception as e:  # reported to slimbench, which shows "—" for this row
            reply = {"error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
