//! Marchenko–Pastur law (to be written).
