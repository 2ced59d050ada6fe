//! The fuzz targets' checks, as plain functions so that the regression tests can replay
//! saved inputs through exactly the same code.

pub mod checks;
