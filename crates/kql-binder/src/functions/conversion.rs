//! Conversion functions (`tostring`, `tolong`, ...), `iff`/`case`/`coalesce`, and `gettype`.

use kql_types::KustoType::{Bool, DateTime, Decimal, Dynamic, Guid, Int, Long, Real, String, TimeSpan};

use super::Param::{Any, Bool as BoolParam};
use super::ResultName::{FirstArgument, Prefixed};
use super::Returns::{ArgType, Fixed};
use super::Signature as S;

pub(super) const FUNCTIONS: &[S] = &[
    S::new("tostring", &[Any], Fixed(String)).named(FirstArgument),
    S::new("toint", &[Any], Fixed(Int)).named(FirstArgument),
    S::new("tolong", &[Any], Fixed(Long)).named(FirstArgument),
    S::new("todouble", &[Any], Fixed(Real)).named(FirstArgument),
    S::new("toreal", &[Any], Fixed(Real)).named(FirstArgument),
    S::new("todecimal", &[Any], Fixed(Decimal)).named(FirstArgument),
    S::new("tobool", &[Any], Fixed(Bool)).named(FirstArgument),
    S::new("toboolean", &[Any], Fixed(Bool)).named(FirstArgument),
    S::new("todatetime", &[Any], Fixed(DateTime)).named(FirstArgument),
    S::new("totimespan", &[Any], Fixed(TimeSpan)).named(FirstArgument),
    S::new("toguid", &[Any], Fixed(Guid)).named(FirstArgument),
    S::new("todynamic", &[Any], Fixed(Dynamic)).named(FirstArgument),
    S::new("parse_json", &[Any], Fixed(Dynamic)).named(FirstArgument),
    S::new("gettype", &[Any], Fixed(String)).named(Prefixed("type")),
    // The value parameters of these three are typed by the binder (the common type of the values).
    S::new("iff", &[BoolParam, Any, Any], ArgType(1)),
    S::new("iif", &[BoolParam, Any, Any], ArgType(1)),
    S::new("case", &[BoolParam, Any, Any], ArgType(1)).variadic(),
    S::new("coalesce", &[Any, Any], ArgType(0)).variadic(),
    S::new("not", &[BoolParam], Fixed(Bool)),
];
