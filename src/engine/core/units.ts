// Engine units: metres, GeV, radians. Constants from PDG RPP 2024.
export const MUON_MASS_GEV = 0.1056584
/** Highland constant (PDG RPP 2024 eq. 34.15), in GeV. */
export const HIGHLAND_GEV = 0.0136
/** Highland logarithmic-term coefficient. */
export const HIGHLAND_LOG = 0.038
export const MM = 1e-3
export const CM = 1e-2
