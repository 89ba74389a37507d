import { analyzeCells } from '../../../engine/engine';
import { ML201 } from '../ML201-dead-variable';
import { check, codeCells, testParser } from '../../../__tests__/harness';

// What ML201 counts as a large load, and what not (round 3 of the
// precision work on real notebooks): each case a dead name in a notebook
// whose later cells do work.
describe('ML201 dead-variable: large loads', () => {
  it("flags scikit-learn's load_files bunch once its texts are rebuilt, unless the folder is small", async () => {
    const sources = [
      'from sklearn.datasets import load_files\nreviews = load_files("data/reviews/")\ntexts, y = reviews.data, reviews.target',
      'texts = [t.replace(b"<br />", b" ") for t in texts]',
      'model = fit(texts, y)'
    ];
    const lint = async (folderBytes: number | null) =>
      analyzeCells(await testParser(), codeCells(sources), {
        rules: [ML201],
        fileSize: p => (p === 'data/reviews/' ? folderBytes : null)
      });
    const findings = await lint(null);
    expect(findings.map(f => f.message)).toEqual([
      expect.stringContaining('`del reviews`')
    ]);
    expect(await lint(80_000_000)).toHaveLength(1);
    expect(await lint(40_000)).toHaveLength(0);
  });

  it('keeps a name rebound to a slice of its own large value large (the view keeps its base)', async () => {
    const cells = (crop: string) => [
      `import pickle\nprobs = pickle.load(open("probs.p", "rb"))\n${crop}`,
      'mean = probs.mean(axis=0)',
      'report(mean)'
    ];
    expect(
      (await check(ML201, cells('probs = probs[:, 13:114, 13:114]'))).map(
        f => f.message
      )
    ).toEqual([expect.stringContaining('`del probs`')]);
    // a single item of an array of objects is not the array
    expect(await check(ML201, cells('probs = probs[0]'))).toHaveLength(0);
  });

  it('counts an element-wise comparison of a large array as large', async () => {
    const sources = [
      'import numpy as np\npreds = np.load("preds.npy")\nmask = (preds > 0.45).astype(int)\ndel preds',
      'codes = encode(mask)',
      'submit(codes)'
    ];
    expect((await check(ML201, sources)).map(f => f.message)).toEqual([
      expect.stringContaining('`del mask`')
    ]);
    expect(
      await check(ML201, [
        'import numpy as np\npreds = np.load("preds.npy")\nfound = "a" in preds\ndel preds',
        'codes = encode(found)',
        'submit(codes)'
      ])
    ).toHaveLength(0);
  });

  it('follows a folder listing an earlier cell bound into the loop that reads it', async () => {
    const cells = (listing: string) => [
      `import glob\nimport cv2\npaths = ${listing}`,
      'images = []\nfor p in sorted(paths):\n    images.append(cv2.imread(p))\nX = stack(images)',
      'model = fit(X)',
      'report(model)'
    ];
    expect(
      (await check(ML201, cells('glob.glob("imgs/*/*.jpg")'))).map(
        f => f.message.split('`')[1]
      )
    ).toEqual(['images']);
    expect(await check(ML201, cells('["a.jpg", "b.jpg"]'))).toHaveLength(0);
  });

  it('counts a whole HDF5 dataset read into memory as large, not one slice', async () => {
    const cells = (read: string) => [
      `import h5py\nwith h5py.File("aod.h5", "r") as f:\n    aod = ${read}`,
      'mean = aod.mean(axis=0)',
      'model = fit(mean)'
    ];
    expect(await check(ML201, cells('f["AOD"][:]'))).toHaveLength(1);
    expect(await check(ML201, cells('f["AOD"][()]'))).toHaveLength(1);
    expect(await check(ML201, cells('f["AOD"][0]'))).toHaveLength(0);
  });

  it('keeps a frame large through a function of the notebook that returns it', async () => {
    const cells = (body: string) => [
      'import pandas as pd\ntrain = pd.read_csv("train.csv")',
      `def reduce_mem_usage(df):\n    for c in df.columns:\n        df[c] = shrink(df[c])\n    ${body}`,
      'train = reduce_mem_usage(train)',
      'model = fit(train)',
      'report(model)'
    ];
    expect(
      (await check(ML201, cells('return df'))).map(f => [f.cell, f.line])
    ).toEqual([[2, 0]]);
    expect(await check(ML201, cells('return summary(df)'))).toHaveLength(0);
  });

  it("counts a pretrained network's weights as large, not its tokenizer", async () => {
    const cells = (cls: string) => [
      `from transformers import ${cls}\nbase = ${cls}.from_pretrained("bert-base-uncased")\nsize = base.config.hidden_size`,
      'head = build_head(size)',
      'train(head)'
    ];
    expect(
      (await check(ML201, cells('AutoModelForSequenceClassification'))).map(
        f => f.message
      )
    ).toEqual([expect.stringContaining('`del base`')]);
    expect(await check(ML201, cells('BertModel'))).toHaveLength(1);
    expect(await check(ML201, cells('AutoTokenizer'))).toHaveLength(0);
    expect(await check(ML201, cells('AutoConfig'))).toHaveLength(0);
  });

  it('does not count an aggregating query as a large load, also spelled in a name', async () => {
    const cells = (query: string) => [
      `import pandas as pd\nfrom sqlalchemy import create_engine\nengine = create_engine("postgresql://db/sales")\n${query}`,
      'total = by_country["revenue"].sum()',
      'report(total)'
    ];
    expect(
      await check(
        ML201,
        cells(
          "q = '''\nSELECT country, SUM(total) AS revenue FROM invoices\nGROUP BY country\n'''\nby_country = pd.read_sql(q, engine)"
        )
      )
    ).toHaveLength(0);
    expect(
      await check(
        ML201,
        cells(
          'q = "SELECT * FROM invoices"\nby_country = pd.read_sql(q, engine)'
        )
      )
    ).toHaveLength(1);
    expect(
      await check(
        ML201,
        cells(
          'by_country = pd.read_sql(sa.text("SELECT country, AVG(total) FROM invoices GROUP BY 1"), engine)'
        )
      )
    ).toHaveLength(0);
  });

  it('knows teaching databases by name (chinook)', async () => {
    const cells = [
      'import sqlite3\nimport pandas as pd\ncon = sqlite3.connect("data/chinook.db")\ntracks = pd.read_sql("SELECT * FROM tracks", con)',
      'n = len(tracks)',
      'report(n)'
    ];
    expect(await check(ML201, cells)).toHaveLength(0);
  });
});
