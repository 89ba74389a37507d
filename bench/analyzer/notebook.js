// Generates a realistic 1,000-cell / ~20,000-line notebook from templates
// (pandas, numpy, plotting, classes, loops), deterministic for a given seed.
'use strict';

const TEMPLATES = [
  i => `import pandas as pd
import numpy as np

# Load and clean dataset ${i}
raw_${i} = pd.read_csv("data/part_${i}.csv", parse_dates=["ts"])
raw_${i} = raw_${i}.dropna(subset=["value"])
raw_${i}["hour"] = raw_${i}["ts"].dt.hour
raw_${i}["value_z"] = (raw_${i}["value"] - raw_${i}["value"].mean()) / raw_${i}["value"].std()
summary_${i} = (
    raw_${i}
    .groupby(["region", "hour"])
    .agg(total=("value", "sum"), mean=("value", "mean"), n=("value", "size"))
    .reset_index()
)
top_${i} = summary_${i}.sort_values("total", ascending=False).head(20)
print(top_${i}.shape)
top_${i}.head()`,
  i => `grid_${i} = np.zeros((512, 512))
weights_${i} = np.random.rand(512, 512)
for step in range(10):
    grid_${i} = grid_${i} * 0.9 + weights_${i} @ grid_${i}
    grid_${i} = np.clip(grid_${i}, -1.0, 1.0)
norms_${i} = np.linalg.norm(grid_${i}, axis=0)
mask_${i} = norms_${i} > norms_${i}.mean()
selected_${i} = grid_${i}[:, mask_${i}]
stats_${i} = {
    "mean": float(selected_${i}.mean()),
    "std": float(selected_${i}.std()),
    "max": float(selected_${i}.max()),
}
stats_${i}`,
  i => `%matplotlib inline
import matplotlib.pyplot as plt

for col in ["a", "b", "c"]:
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(range(100), [x ** 0.5 for x in range(100)], label=col)
    ax.set_title(f"Series {col} (${i})")
    ax.legend()
    fig.savefig(f"out/plot_${i}_{col}.png")
    plt.close(fig)

labels_${i} = ["low", "mid", "high"]
counts_${i} = [sum(1 for v in range(1000) if v % 3 == k) for k in range(3)]
plt.bar(labels_${i}, counts_${i})
plt.show()`,
  i => `class Point${i}:
    """A 2D point with helpers."""

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5

    def scaled(self, k):
        return Point${i}(self.x * k, self.y * k)


points_${i} = [Point${i}(i, i + 1) for i in range(1000)]
longest_${i} = max(p.norm() for p in points_${i})
total_${i} = sum([p.x for p in points_${i}])
print(longest_${i}, total_${i})`,
  i => `report_${i} = ""
rows_${i} = [(k, k * k) for k in range(200)]
for key, value in rows_${i}:
    if value % 2 == 0:
        report_${i} += f"{key}: {value}\\n"
    else:
        continue
lines_${i} = report_${i}.splitlines()
with open("out/report_${i}.txt", "w") as fh:
    fh.write(report_${i})
words_${i} = {}
for line in lines_${i}:
    for word in line.split():
        words_${i}[word] = words_${i}.get(word, 0) + 1
len(words_${i})`,
  i => `def featurize_${i}(frame, columns):
    """Add rolling features for the given columns."""
    out = frame.copy()
    for column in columns:
        out[f"{column}_roll"] = out[column].rolling(7, min_periods=1).mean()
        out[f"{column}_diff"] = out[column].diff().fillna(0)
    return out


def evaluate_${i}(frame, target="y"):
    errors = []
    for fold in range(5):
        part = frame.iloc[fold::5]
        errors.append(((part[target] - part[target].mean()) ** 2).mean())
    return sum(errors) / len(errors)


%time score_${i} = evaluate_${i}(featurize_${i}(pd.DataFrame({"y": range(100)}), ["y"]))`
];

/** Cells of the benchmark notebook: {kind, source}. */
function makeCells(count) {
  const cells = [];
  for (let i = 0; i < count; i++) {
    if (i % 10 === 9) {
      cells.push({
        kind: 'markdown',
        source: `## Section ${i}\n\nNotes about step ${i}.`
      });
    } else {
      cells.push({
        kind: 'code',
        source: TEMPLATES[(i * 7) % TEMPLATES.length](i)
      });
    }
  }
  return cells;
}

/** nbformat 4 JSON of the cells. */
function toNotebook(cells) {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3',
        language: 'python'
      }
    },
    cells: cells.map((cell, i) => ({
      id: `cell-${i}`,
      cell_type: cell.kind,
      metadata: {},
      source: cell.source,
      ...(cell.kind === 'code' ? { outputs: [], execution_count: null } : {})
    }))
  });
}

module.exports = { makeCells, toNotebook };
