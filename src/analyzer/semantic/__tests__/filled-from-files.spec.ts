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
});
