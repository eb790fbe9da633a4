"""Writes the small IDX fixtures in datasets/ (run once; the files are committed).

    python3 Tests/SlimLabTests/Fixtures/make_idx_fixtures.py

IDX layout: 00 00, element type code, dimension count, big-endian uint32 dimensions,
big-endian elements. Only the standard library is used.
"""
import gzip
import os
import struct

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "datasets")


def idx(type_code, dims, payload):
    return bytes([0, 0, type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


# A good pair: 3 images of 2×3 unsigned bytes, labels 2, 0, 1.
images = bytes(range(0, 18 * 10, 10))          # 0, 10, …, 170
write("tiny-images-idx3-ubyte", idx(0x08, [3, 2, 3], images))
write("tiny-labels-idx1-ubyte", idx(0x08, [3], bytes([2, 0, 1])))

# The same samples as 2-D float32 features (3 × 6), and as int16, for the element decoders.
write("floats-images-idx2-float", idx(0x0D, [3, 6], struct.pack(">18f", *[v / 4 for v in range(-9, 9)])))
write("floats-labels-idx1-ubyte", idx(0x08, [3], bytes([0, 1, 0])))
write("shorts-images-idx2-short", idx(0x0B, [3, 2], struct.pack(">6h", -300, 0, 1, 2, 300, -1)))
write("shorts-labels-idx1-int", idx(0x0C, [3], struct.pack(">3i", 1, 1, 0)))

# Broken files, one problem each.
write("bad-magic-images", b"\x01\x02\x08\x03" + images)
write("unknown-type-images", idx(0x0A, [3, 2, 3], images))
write("truncated-images", idx(0x08, [3, 2, 3], images[:10]))
write("truncated-header-images", bytes([0, 0, 0x08, 3, 0, 0, 0, 3, 0, 0]))
write("trailing-images", idx(0x08, [3, 2, 3], images + b"\x00\x00"))
write("absurd-images", idx(0x08, [65535, 65535, 65535], b""))
write("zero-images", idx(0x08, [0, 2, 3], b""))
write("flat-images", idx(0x08, [18], images))                            # 1-D: not images
write("two-dim-labels", idx(0x08, [3, 1], bytes([2, 0, 1])))
write("four-labels", idx(0x08, [4], bytes([2, 0, 1, 1])))
write("float-labels", idx(0x0D, [3], struct.pack(">3f", 0, 1, 2)))
write("huge-labels", idx(0x0C, [3], struct.pack(">3i", 0, 5000, 1)))
write("negative-labels", idx(0x09, [3], struct.pack(">3b", 0, -1, 1)))
write("nan-images", idx(0x0D, [3, 2], struct.pack(">6f", 0, 1, 2, float("nan"), 4, 5)))
write("gzipped-images", gzip.compress(idx(0x08, [3, 2, 3], images), mtime=0))

# gzip'd IDX (issue 16): the tiny pair compressed, a file in two gzip members, damaged gzip.
tiny = idx(0x08, [3, 2, 3], images)
write("tiny-images-idx3-ubyte.gz", gzip.compress(tiny, mtime=0))
write("tiny-labels-idx1-ubyte.gz", gzip.compress(idx(0x08, [3], bytes([2, 0, 1])), mtime=0))
write("two-members-images", gzip.compress(tiny[:11], mtime=0) + gzip.compress(tiny[11:], mtime=0))
packed = gzip.compress(tiny, mtime=0)
write("truncated-gzip-images", packed[: len(packed) - 12])
write("corrupt-gzip-images", packed[:10] + bytes(b ^ 0x5A for b in packed[10:20]) + packed[20:])

# A stand-in for /usr/share/datasets/fashion-mnist: the four files under their real names,
# 40 training and 20 test images of 4×4 pixels, labels cycling through the 10 classes.
FASHION = os.path.join(HERE, "fashion-mnist")
os.makedirs(FASHION, exist_ok=True)
for part, count in (("train", 40), ("t10k", 20)):
    pixels = bytes((7 * i + 3 * (i // 16)) % 256 for i in range(count * 16))
    labels = bytes(i % 10 for i in range(count))
    for kind, data in (("images-idx3", idx(0x08, [count, 4, 4], pixels)), ("labels-idx1", idx(0x08, [count], labels))):
        with open(os.path.join(FASHION, "%s-%s-ubyte.gz" % (part, kind)), "wb") as f:
            f.write(gzip.compress(data, mtime=0))
