// What `explain` reports (and what a snapshot carries live): the loss, its parts and its gradient per design
// parameter. No tfjs here: the UI imports these types.

/** ∂loss/∂parameter of one panel (per metre) */
export interface PanelGradient {
  x: number
  y: number
  z: number
  span_x: number
  span_y: number
}

/** ∂loss/∂thickness of one layer group (per metre) */
export interface LayerGradient {
  absorber_thickness: number
  active_thickness: number
}

export interface Explanation<G> {
  loss: number
  parts: Record<string, number>
  /** keyed by panel id, or by layer group (`layers[k]`, the design file's entry k) */
  gradient: Record<string, G>
}
