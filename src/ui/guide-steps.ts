// What the first-visit guide says, per detector kind: one short card per part of the screen, in the order a
// newcomer meets them. Plain data, so the guide component stays a pager.
import type { Design } from '../engine/design/schema'

export interface GuideStep { title: string; text: string }

export const GUIDE_STEPS: { [K in Design['kind']]: GuideStep[] } = {
  muography: [
    { title: 'A muon scanner, being designed',
      text: 'Cosmic-ray muons cross the volume in the middle; how much they scatter tells the studio what each voxel is made of (its radiation length X0). The translucent plates above and below are the detector panels that measure the muons.' },
    { title: 'Colours and tracks',
      text: 'The voxels are coloured by X0 (the colour bar, bottom left): true, as predicted from the muons, or the error. The lines are a sample of simulated muon tracks.' },
    { title: 'The optimiser moves the panels',
      text: 'Play runs gradient descent: each step simulates muons, infers the X0 map, and moves every panel (x, y, z, size) to lower the loss within the budget. The charts below follow the loss, the cost and each panel.' },
    { title: 'Your hands on the same design',
      text: 'Click a panel to select it and drag it, or use the gizmo arrows for height; the optimiser carries on from your edit. The inspector on the right sets the panel technology, the budget and the optimiser.' },
    { title: 'Keep and share',
      text: 'Export writes the design as a JSON file (the menu beside it: the best design, the history as CSV); Copy share link puts it in a link. Your work is saved in this browser as you go. Press ? for the keys.' },
  ],
  calorimeter: [
    { title: 'A sampling calorimeter, being designed',
      text: 'The stack in the view is a sampling calorimeter: absorber layers that make particles shower, and active layers that sample the shower energy.' },
    { title: 'The optimiser tunes the layers',
      text: 'Play runs gradient descent on the layer thicknesses, trading the energy resolution σ/E against depth and cost. The charts show σ/E against energy with its fit, the shower profile per layer, and the loss.' },
    { title: 'Your hands on the same design',
      text: 'Drag a layer boundary in the view or type a thickness in the inspector; the optimiser carries on from your edit.' },
    { title: 'Keep and share',
      text: 'Export writes the design as a JSON file (the menu beside it: the best design, the history as CSV); Copy share link puts it in a link. Your work is saved in this browser as you go. Press ? for the keys.' },
  ],
}
