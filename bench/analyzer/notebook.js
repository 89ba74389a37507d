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
# Column-wise correlation of the selected columns, upper triangle only
corr_${i} = np.corrcoef(selected_${i}, rowvar=False)
upper_${i} = corr_${i}[np.triu_indices_from(corr_${i}, k=1)]
strong_${i} = int((np.abs(upper_${i}) > 0.8).sum())
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

# Bar chart of residue classes
thresholds_${i} = {"low": 0.25, "mid": 0.5, "high": 0.75}
cutoffs_${i} = sorted(thresholds_${i}.values())
print(f"cutoffs: {cutoffs_${i}}")
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
# Keep only non-empty lines, stripped
lines_${i} = [line.strip() for line in lines_${i} if line.strip()]
print(len(lines_${i}), "lines")
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


%time score_${i} = evaluate_${i}(featurize_${i}(pd.DataFrame({"y": range(100)}), ["y"]))`,
  i => `import torch
from torch import nn

model_${i} = nn.Sequential(
    nn.Linear(64, 128),
    nn.ReLU(),
    nn.Linear(128, 10),
)
optimizer_${i} = torch.optim.Adam(model_${i}.parameters(), lr=1e-3)
loss_fn_${i} = nn.CrossEntropyLoss()
losses_${i} = []
for epoch in range(3):
    model_${i}.train()
    for batch in range(20):
        x = torch.randn(32, 64)
        y = torch.randint(0, 10, (32,))
        optimizer_${i}.zero_grad()
        loss = loss_fn_${i}(model_${i}(x), y)
        loss.backward()
        optimizer_${i}.step()
        losses_${i}.append(loss.item())
    print(f"epoch {epoch}: {sum(losses_${i}[-20:]) / 20:.3f}")

model_${i}.eval()
with torch.no_grad():
    preds_${i} = model_${i}(torch.randn(256, 64)).argmax(dim=1)
accuracy_${i} = (preds_${i} == torch.randint(0, 10, (256,))).float().mean()
print("accuracy", float(accuracy_${i}))
checkpoint_${i} = {"state": model_${i}.state_dict(), "epoch": 3}
torch.save(checkpoint_${i}, f"out/model_${i}.pt")`,
  i => `def clean_names_${i}(frame):
    """Normalise column names: lower case, underscores."""
    frame = frame.rename(columns=lambda c: c.strip().lower().replace(" ", "_"))
    return frame


def add_calendar_${i}(frame, column="date"):
    dates = pd.to_datetime(frame[column])
    frame["year"] = dates.dt.year
    frame["month"] = dates.dt.month
    frame["weekday"] = dates.dt.weekday
    return frame


customers_${i} = pd.read_parquet("data/customers_${i}.parquet")
orders_${i} = pd.read_csv("data/orders_${i}.csv", usecols=["id", "customer", "date", "amount"])
orders_${i} = add_calendar_${i}(clean_names_${i}(orders_${i}))
joined_${i} = orders_${i}.merge(customers_${i}, left_on="customer", right_on="id", how="left")
monthly_${i} = (
    joined_${i}
    .groupby(["year", "month", "segment"], as_index=False)["amount"]
    .sum()
    .sort_values(["year", "month"])
)
best_${i} = monthly_${i}.loc[monthly_${i}["amount"].idxmax()]
shares_${i} = monthly_${i}.pivot_table(
    index=["year", "month"], columns="segment", values="amount", fill_value=0
)
shares_${i} = shares_${i}.div(shares_${i}.sum(axis=1), axis=0)
print(best_${i})
shares_${i}.tail(3)`,
  i => `import seaborn as sns

palette_${i} = sns.color_palette("viridis", 4)
fig_${i}, axes_${i} = plt.subplots(2, 2, figsize=(12, 8), sharex=True)
for k, ax in enumerate(axes_${i}.flat):
    xs = np.linspace(0, 10, 200)
    ys = np.sin(xs * (k + 1)) + np.random.normal(0, 0.1, size=xs.shape)
    ax.plot(xs, ys, color=palette_${i}[k], linewidth=1.5)
    ax.fill_between(xs, ys - 0.2, ys + 0.2, alpha=0.2, color=palette_${i}[k])
    ax.set_title(f"harmonic {k + 1}")
    ax.grid(True, alpha=0.3)
fig_${i}.suptitle("Harmonics ${i}")
fig_${i}.tight_layout()
fig_${i}.savefig("out/harmonics_${i}.png", dpi=120)
plt.close(fig_${i})

table_${i} = pd.DataFrame(
    {
        "k": np.repeat(np.arange(4), 50),
        "value": np.random.normal(size=200),
    }
)
summary_${i} = table_${i}.groupby("k")["value"].describe()
grid_plot_${i} = sns.FacetGrid(table_${i}, col="k", col_wrap=2)
grid_plot_${i}.map(sns.histplot, "value", bins=20)
grid_plot_${i}.savefig("out/facets_${i}.png")
plt.close("all")
summary_${i}[["mean", "std"]].round(3)`
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

/**
 * The benchmark's one-cell edits: edit `i` appends a line to cell
 * `i * 37 % count` (code cells only). Yields the notebook after each edit.
 */
function* editedCells(cells, edits) {
  const edited = cells.map(c => ({ ...c }));
  for (let i = 0; i < edits; i++) {
    const index = (i * 37) % edited.length;
    if (edited[index].kind !== 'code') {
      continue;
    }
    edited[index] = {
      ...edited[index],
      source: edited[index].source + `\nedit_${i} = ${i}`
    };
    yield edited;
  }
}

module.exports = { makeCells, toNotebook, editedCells };
