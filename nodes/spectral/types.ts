/** Types of the `spectral` family (types only): what its report nodes hand on. */
import type { LayerRow } from './layerAnalysisInternals.ts';

export type { LayerRow };

declare module '../../src/node.ts' {
  interface PortTypes {
    /** The rows of a per-layer spectral report, one per analysed weight (as layers.json). */
    layerRows: LayerRow[];
  }
}
