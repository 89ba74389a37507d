/**
 * The translation bundle of memlens's user-visible strings. The core plugin
 * hands JupyterLab's `ITranslator` to `useTranslator` at activation; until
 * then (and in unit tests) strings pass through untranslated.
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';

/** The gettext domain of the extension (its Python package name). */
export const TRANSLATION_DOMAIN = 'jupyterlab_memlens';

let bundle: TranslationBundle = nullTranslator.load(TRANSLATION_DOMAIN);

/** Translate memlens's strings with `translator` from now on. */
export function useTranslator(translator: ITranslator): void {
  bundle = translator.load(TRANSLATION_DOMAIN);
}

/**
 * The current bundle: `trans().__('Freed %1', size)`, and `_n` for plurals.
 * Kernel text (names, types, messages) is never passed through it.
 */
export function trans(): TranslationBundle {
  return bundle;
}
