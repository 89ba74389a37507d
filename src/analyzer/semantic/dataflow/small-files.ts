/**
 * Files the notebook reads that are known to be small: no larger than
 * {@link SMALL_FILE_BYTES} on disk (when the host can look), or a teaching
 * dataset or database of a fixed, known size named by its file.
 */
import type { INotebookDataflow } from '../../types';

/**
 * A file at most this big is not a large load: even parsed into a frame
 * several times its size (object strings) it stays a few MiB, far below
 * the size worth a finding. Bigger files count as large loads, as reads of
 * files memlens cannot see do.
 */
export const SMALL_FILE_BYTES = 2 ** 20;

/** True when the file at `path` (as the notebook spells it) is known to be small. */
export function smallFile(path: string, dataflow: INotebookDataflow): boolean {
  if (TEACHING_DATASET.test(path) || TEACHING_DATABASE.test(path)) {
    return true;
  }
  const size = dataflow.fileSize?.(path);
  return size !== undefined && size !== null && size <= SMALL_FILE_BYTES;
}

/**
 * Teaching datasets of a fixed, known size, named by their file (on disk or
 * at a URL): all a few hundred to a few thousand rows, well under 1 MiB
 * (iris 150 rows, Titanic 891 (also Kaggle's `titanic/train.csv`), tips
 * 244, penguins 344, abalone 4,177, airline passengers 144, daily minimum
 * temperatures 3,650).
 */
const TEACHING_DATASET =
  /(^|[/\\])(iris|titanic|tips|mtcars|penguins|advertising|auto-mpg|mpg|wine|winequality-(red|white)|boston|pima-indians-diabetes|diabetes|breast-cancer|heart|glass|seeds|abalone|sonar(\.all-data)?|ionosphere|airline-passengers|AirPassengers|daily-min-temperatures|daily-total-female-births|shampoo(-sales)?|monthly-sunspots|titanic[/\\](train|test|gender_submission))\.(csv|data|txt|tsv|xlsx?)$/i;

/** Teaching SQLite databases of a fixed, known size (chinook under 1 MiB). */
const TEACHING_DATABASE =
  /(^|[/\\])(chinook|northwind|sakila)\.(db|sqlite3?)$/i;
