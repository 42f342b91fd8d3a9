//! `todecimal(x)`: numbers and bools convert with a cast to `Decimal128(38, 18)`; text does not
//! convert yet (there is no `kql_todecimal`), so it is refused by name rather than guessed.

use crate::declare::*;

pub(crate) static TODECIMAL: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("todecimal", &[P::Any], R::Fixed(T::Decimal)).named(N::FirstArgument),
    super::lower_conversion,
    super::CONVERSION_UDFS,
);
