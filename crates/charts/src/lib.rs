//! poolsim charts.
