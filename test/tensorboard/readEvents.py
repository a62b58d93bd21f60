"""Read an eigenflow TensorBoard event file with TensorBoard's own reader and print what it holds as JSON.

usage: python readEvents.py EVENT_FILE
Prints {"scalars": {tag: [[step, value], ...]}, "texts": {tag: [text, ...]}, "histograms": {tag: [[step, count], ...]}}.
"""
import json
import sys

from tensorboard.backend.event_processing import event_accumulator
from tensorboard.util import tensor_util

acc = event_accumulator.EventAccumulator(sys.argv[1], size_guidance={event_accumulator.TENSORS: 0, event_accumulator.HISTOGRAMS: 0})
acc.Reload()
out = {"scalars": {}, "texts": {}, "histograms": {}}
for tag in acc.Tags()["tensors"]:
    plugin = acc.SummaryMetadata(tag).plugin_data.plugin_name
    for ev in acc.Tensors(tag):
        arr = tensor_util.make_ndarray(ev.tensor_proto)
        if plugin == "scalars":
            out["scalars"].setdefault(tag, []).append([ev.step, float(arr.item())])
        elif plugin == "text":
            v = arr.item()
            out["texts"].setdefault(tag, []).append(v.decode("utf-8") if isinstance(v, bytes) else str(v))
for tag in acc.Tags()["histograms"]:
    for ev in acc.Histograms(tag):
        out["histograms"].setdefault(tag, []).append([ev.step, ev.histogram_value.num])
print(json.dumps(out))
