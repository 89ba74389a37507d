import { filledFromFiles } from '../dataflow/filled-from-files';
import { testParser } from '../../__tests__/harness';

async function filled(source: string): Promise<string[]> {
  const tree = (await testParser()).parse(source)!;
  return filledFromFiles(tree.rootNode as never).map(c => c.name);
}

describe('filledFromFiles (a collection filled file by file)', () => {
  it('finds what a loop over a listing reads and adds', async () => {
    expect(
      await filled(
        'imgs = []\nfor p in glob.glob("img/*.png"):\n    im = Image.open(p)\n    arr = np.array(im)\n    imgs.append(arr / 255)\n'
      )
    ).toEqual(['imgs']);
    expect(
      await filled(
        'texts = {}\nfor f in os.listdir(d):\n    with open(f) as fh:\n        txt = fh.read()\n    texts[f] = txt\n'
      )
    ).toEqual(['texts']);
    expect(
      await filled(
        'df = pd.DataFrame()\nfor p in glob.glob("a/*.csv"):\n    df = pd.concat([df, pd.read_csv(p)])\n'
      )
    ).toEqual(['df']);
  });

  it('leaves a list of the names the loop picked: it holds no data', async () => {
    expect(
      await filled(
        'found = []\nfor name in files_listed:\n    pass\nfor name in os.listdir(d):\n    mask = np.array(Image.open(name))\n    if is_vertical(mask):\n        found.append(name + ".png")\n'
      )
    ).toEqual([]);
    expect(
      await filled(
        'sizes = {}\nfor p in glob.glob("*.csv"):\n    n = len(pd.read_csv(p))\n    sizes[p] = p.upper()\n'
      )
    ).toEqual([]);
  });

  it('leaves an item transformed in place by the loop (one file, not the folder)', async () => {
    expect(
      await filled(
        'waves = []\nfor f in glob.glob("audio/*.wav"):\n    sig, sr = librosa.load(f)\n    sig = librosa.util.fix_length(sig, size=64000)\n    waves.append(sig)\n'
      )
    ).toEqual(['waves']);
  });

  it('leaves lists of measures of each file (a shape, a mean, a length)', async () => {
    expect(
      await filled(
        'hs, ws, means, lens = [], [], [], []\nfor path in glob.glob("img/*.jpg"):\n    im = imageio.imread(path)\n    hs.append(im.shape[0])\n    ws.append(im.shape[1])\n    means.append(im.mean())\n    with open(path) as f:\n        lens.append(len(f.read()))\n'
      )
    ).toEqual([]);
    expect(
      await filled(
        'crops = []\nfor path in glob.glob("img/*.jpg"):\n    im = imageio.imread(path)\n    crops.append(im[: im.shape[0] // 2])\n'
      )
    ).toEqual(['crops']);
  });
});
