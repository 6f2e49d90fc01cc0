//! Tracy–Widom laws (to be written).
