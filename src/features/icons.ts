import { LabIcon } from '@jupyterlab/ui-components';
import memlensSvg from '../../style/icons/memlens.svg';

/** The memlens icon (side bar tab, status bar, settings). */
export const memlensIcon = new LabIcon({
  name: 'memlens:icon',
  svgstr: memlensSvg
});
