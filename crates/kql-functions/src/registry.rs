//! The function registry: every Kusto function torhunt implements, each declared once beside its
//! implementation as a [`KustoFunction`] (its Kusto signature and how it runs), collected here by name.
//!
//! The binder reads signatures from here (through its catalog), the planner lowers calls with
//! [`Implementation::call_scalar`] and [`Implementation::call_aggregate`], and sessions register every
//! UDF by name with [`crate::register_all`]. Operators and internal steps the binder emits by name
//! (`has`, `in_ci`, `dynamic_get`, ...) are [`InternalFunction`]s: implemented here, never named in a query.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{AggregateUDF, Expr, ScalarUDF, lit};
use kql_types::KustoType;
use kql_types::signature::Signature;

/// A scalar UDF's singleton (see [`crate::singleton`]).
pub type MakeUdf = fn() -> Arc<ScalarUDF>;
/// An aggregate UDF's singleton.
pub type MakeUdaf = fn() -> Arc<AggregateUDF>;

/// One Kusto function: what the binder checks calls against, and what the planner lowers them to.
pub struct KustoFunction {
    pub signature: Signature,
    pub implementation: Implementation,
}

/// A UDF the planner calls for an operator or an internal step (`has`, `in_ci`, `dynamic_get`,
/// `to_dynamic`, ...): the binder emits calls by this name, and no query can name it as a function.
pub struct InternalFunction {
    pub name: &'static str,
    pub implementation: Implementation,
}

/// How a function runs on DataFusion.
pub enum Implementation {
    /// A scalar UDF; `dynamic` is its variant for dynamic arguments: taken when the first argument is
    /// dynamic, or when a later one is (then every later argument is passed as dynamic, as the
    /// value-list functions such as `has_any_ipv4(text, dynamic([...]))` need).
    Scalar { udf: MakeUdf, dynamic: Option<MakeUdf> },
    /// An aggregate UDF; `dynamic` is its variant for a dynamic first argument.
    Aggregate {
        udaf: MakeUdaf,
        dynamic: Option<MakeUdaf>,
    },
    /// A scalar function written with DataFusion's own expressions (`isnull`, `bin`, conversions);
    /// `calls` are the UDFs those expressions may call (registered with sessions by name).
    ScalarExpr {
        lower: fn(ScalarCall) -> Result<Expr>,
        calls: &'static [MakeUdf],
    },
    /// An aggregate written with DataFusion's own aggregates, from the lowered arguments (`sum`, `count`).
    AggregateExpr(fn(Vec<Expr>) -> Result<Expr>),
    /// `base` over the rows where the argument at `predicate` is true (`sumif`, `make_set_if`), as a
    /// `FILTER` clause; the other arguments go to `base`.
    Conditional {
        base: &'static KustoFunction,
        predicate: usize,
    },
    /// `base` with its last, optional argument given another default when omitted: the deprecated
    /// `makelist` and `makeset` are `make_list` and `make_set` with a maxSize of 128 by default.
    DefaultLast {
        base: &'static KustoFunction,
        default: i64,
    },
}

/// A scalar call being lowered: the arguments (already DataFusion expressions) with their Kusto
/// types, and the result type the binder inferred.
pub struct ScalarCall {
    pub args: Vec<Expr>,
    pub types: Vec<KustoType>,
    pub result: KustoType,
}

impl KustoFunction {
    /// A scalar function run by one UDF.
    pub const fn scalar(signature: Signature, udf: MakeUdf) -> KustoFunction {
        KustoFunction {
            signature,
            implementation: Implementation::Scalar { udf, dynamic: None },
        }
    }

    /// A scalar function run by a UDF, with a variant for dynamic arguments.
    pub const fn scalar_with_dynamic(signature: Signature, udf: MakeUdf, dynamic: MakeUdf) -> KustoFunction {
        KustoFunction {
            signature,
            implementation: Implementation::Scalar {
                udf,
                dynamic: Some(dynamic),
            },
        }
    }

    /// A scalar function written with DataFusion expressions.
    pub const fn scalar_expr(signature: Signature, lower: fn(ScalarCall) -> Result<Expr>) -> KustoFunction {
        KustoFunction::scalar_expr_calling(signature, lower, &[])
    }

    /// A scalar function written with DataFusion expressions that call these UDFs.
    pub const fn scalar_expr_calling(
        signature: Signature,
        lower: fn(ScalarCall) -> Result<Expr>,
        calls: &'static [MakeUdf],
    ) -> KustoFunction {
        KustoFunction {
            signature,
            implementation: Implementation::ScalarExpr { lower, calls },
        }
    }

    /// An aggregate run by one UDAF.
    pub const fn aggregate(signature: Signature, udaf: MakeUdaf) -> KustoFunction {
        KustoFunction {
            signature,
            implementation: Implementation::Aggregate { udaf, dynamic: None },
        }
    }

    /// An aggregate run by a UDAF, with a variant for a dynamic first argument.
    pub const fn aggregate_with_dynamic(
        signature: Signature,
        udaf: MakeUdaf,
        dynamic: MakeUdaf,
    ) -> KustoFunction {
        KustoFunction {
            signature,
            implementation: Implementation::Aggregate {
                udaf,
                dynamic: Some(dynamic),
            },
        }
    }

    /// An aggregate written with DataFusion's own aggregates.
    pub const fn aggregate_expr(signature: Signature, lower: fn(Vec<Expr>) -> Result<Expr>) -> KustoFunction {
        KustoFunction {
            signature,
            implementation: Implementation::AggregateExpr(lower),
        }
    }

    /// `base` over the rows where the argument at `predicate` holds.
    pub const fn conditional(
        signature: Signature,
        base: &'static KustoFunction,
        predicate: usize,
    ) -> KustoFunction {
        KustoFunction {
            signature,
            implementation: Implementation::Conditional { base, predicate },
        }
    }

    /// `base`, its last argument `default` when the call omits it.
    pub const fn default_last(
        signature: Signature,
        base: &'static KustoFunction,
        default: i64,
    ) -> KustoFunction {
        KustoFunction {
            signature,
            implementation: Implementation::DefaultLast { base, default },
        }
    }
}

impl InternalFunction {
    pub const fn scalar(name: &'static str, udf: MakeUdf) -> InternalFunction {
        InternalFunction {
            name,
            implementation: Implementation::Scalar { udf, dynamic: None },
        }
    }

    pub const fn scalar_with_dynamic(name: &'static str, udf: MakeUdf, dynamic: MakeUdf) -> InternalFunction {
        InternalFunction {
            name,
            implementation: Implementation::Scalar {
                udf,
                dynamic: Some(dynamic),
            },
        }
    }

    pub const fn aggregate(name: &'static str, udaf: MakeUdaf) -> InternalFunction {
        InternalFunction {
            name,
            implementation: Implementation::Aggregate { udaf, dynamic: None },
        }
    }
}

impl Implementation {
    /// The expression for a scalar call.
    pub fn call_scalar(&self, call: ScalarCall) -> Result<Expr> {
        match self {
            Implementation::Scalar { udf, dynamic } => Ok(scalar_udf_call(*udf, *dynamic, call)),
            Implementation::ScalarExpr { lower, .. } => lower(call),
            _ => Err(DataFusionError::Internal(
                "an aggregate function called as a scalar".to_string(),
            )),
        }
    }

    /// The expression for an aggregate call; `types` are the arguments' Kusto types.
    pub fn call_aggregate(&self, args: Vec<Expr>, types: &[KustoType]) -> Result<Expr> {
        match self {
            Implementation::Aggregate { udaf, dynamic } => {
                let udaf = match dynamic {
                    Some(dynamic) if types.first() == Some(&KustoType::Dynamic) => dynamic(),
                    _ => udaf(),
                };
                Ok(udaf.call(args))
            }
            Implementation::AggregateExpr(lower) => lower(args),
            Implementation::Conditional { base, predicate } => {
                let mut args = args;
                let mut types = types.to_vec();
                if *predicate >= args.len() {
                    return Err(DataFusionError::Internal(format!(
                        "the predicate of a conditional aggregate is argument {}, of {}",
                        predicate + 1,
                        args.len()
                    )));
                }
                let condition = args.remove(*predicate);
                if *predicate < types.len() {
                    types.remove(*predicate);
                }
                // The FILTER clause is set on the base's own call: rebuilding it with
                // `ExprFunctionExt::filter` would reset its DISTINCT and ORDER BY, and `dcountif`
                // would count every row the predicate keeps.
                match base.implementation.call_aggregate(args, &types)? {
                    Expr::AggregateFunction(mut aggregate) => {
                        let filter = match aggregate.params.filter.take() {
                            Some(own) => own.and(condition),
                            None => condition,
                        };
                        aggregate.params.filter = Some(Box::new(filter));
                        Ok(Expr::AggregateFunction(aggregate))
                    }
                    other => Err(DataFusionError::Internal(format!(
                        "the base of a conditional aggregate is not an aggregate call: {other}"
                    ))),
                }
            }
            Implementation::DefaultLast { base, default } => {
                let mut args = args;
                let mut types = types.to_vec();
                if args.len() < base.signature.params.len() {
                    args.push(lit(*default));
                    types.push(KustoType::Long);
                }
                base.implementation.call_aggregate(args, &types)
            }
            Implementation::Scalar { .. } | Implementation::ScalarExpr { .. } => Err(
                DataFusionError::Internal("a scalar function called as an aggregate".to_string()),
            ),
        }
    }

    /// Every UDF and UDAF this implementation calls directly, for registration by name.
    fn udfs(&self) -> (Vec<Arc<ScalarUDF>>, Vec<Arc<AggregateUDF>>) {
        match self {
            Implementation::Scalar { udf, dynamic } => (
                std::iter::once(*udf).chain(*dynamic).map(|make| make()).collect(),
                Vec::new(),
            ),
            Implementation::Aggregate { udaf, dynamic } => (
                Vec::new(),
                std::iter::once(*udaf)
                    .chain(*dynamic)
                    .map(|make| make())
                    .collect(),
            ),
            Implementation::ScalarExpr { calls, .. } => {
                (calls.iter().map(|make| make()).collect(), Vec::new())
            }
            Implementation::AggregateExpr(_)
            | Implementation::Conditional { .. }
            | Implementation::DefaultLast { .. } => (Vec::new(), Vec::new()),
        }
    }
}

/// A scalar UDF call, through the `dynamic` variant where the arguments ask for it.
fn scalar_udf_call(udf: MakeUdf, dynamic: Option<MakeUdf>, call: ScalarCall) -> Expr {
    let Some(dynamic) = dynamic else {
        return udf().call(call.args);
    };
    if call.types.first() == Some(&KustoType::Dynamic) {
        return dynamic().call(call.args);
    }
    if call.types.iter().skip(1).any(|ty| *ty == KustoType::Dynamic) {
        let mut values = call.args.into_iter();
        let mut args: Vec<Expr> = values.next().into_iter().collect();
        for (ty, value) in call.types.iter().skip(1).zip(values) {
            args.push(match ty {
                KustoType::Dynamic => value,
                _ => crate::dynamic::to_dynamic::to_dynamic().call(vec![value]),
            });
        }
        return dynamic().call(args);
    }
    udf().call(call.args)
}

/// Every function, by name and alias, and every internal function, by name; built once.
pub struct Registry {
    functions: HashMap<&'static str, &'static KustoFunction>,
    internal: HashMap<&'static str, &'static InternalFunction>,
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| Registry {
    functions: crate::FUNCTIONS
        .iter()
        .flat_map(|family| family.iter())
        .flat_map(|function| function.signature.names().map(move |name| (name, *function)))
        .collect(),
    internal: crate::INTERNAL_FUNCTIONS
        .iter()
        .flat_map(|family| family.iter())
        .map(|function| (function.name, *function))
        .collect(),
});

/// The registry of every function `kql-functions` implements.
pub fn registry() -> &'static Registry {
    &REGISTRY
}

impl Registry {
    /// A function by its Kusto name or an alias (case-sensitive, as in Kusto).
    pub fn function(&self, name: &str) -> Option<&'static KustoFunction> {
        self.functions.get(name).copied()
    }

    /// A function's signature, by name or alias.
    pub fn signature(&self, name: &str) -> Option<Signature> {
        self.function(name).map(|function| function.signature)
    }

    /// An operator or internal step by the name the binder gives its calls.
    pub fn internal(&self, name: &str) -> Option<&'static InternalFunction> {
        self.internal.get(name).copied()
    }

    /// Every function, once each (a test checks that no name is declared twice).
    pub fn functions(&self) -> impl Iterator<Item = &'static KustoFunction> + '_ {
        crate::FUNCTIONS.iter().flat_map(|family| family.iter().copied())
    }

    /// Every name a query may call (names and aliases), scalar and aggregate.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.functions.keys().copied()
    }

    /// Every internal function.
    pub fn internal_functions(&self) -> impl Iterator<Item = &'static InternalFunction> + '_ {
        crate::INTERNAL_FUNCTIONS
            .iter()
            .flat_map(|family| family.iter().copied())
    }

    /// Every UDF and UDAF to register with a session: those the functions and internal functions
    /// call, and those of [`crate::NOT_REACHED`].
    pub fn udfs(&self) -> (Vec<Arc<ScalarUDF>>, Vec<Arc<AggregateUDF>>) {
        let mut scalar = Vec::new();
        let mut aggregate = Vec::new();
        let implementations = self
            .functions()
            .map(|f| &f.implementation)
            .chain(self.internal_functions().map(|f| &f.implementation));
        for implementation in implementations {
            let (s, a) = implementation.udfs();
            scalar.extend(s);
            aggregate.extend(a);
        }
        for (udf, _) in crate::NOT_REACHED {
            match udf {
                Udf::Scalar(make) => scalar.push(make()),
                Udf::Aggregate(make) => aggregate.push(make()),
            }
        }
        dedup(&mut scalar);
        dedup(&mut aggregate);
        (scalar, aggregate)
    }
}

/// A UDF or UDAF singleton, for lists of them.
#[derive(Clone, Copy)]
pub enum Udf {
    Scalar(MakeUdf),
    Aggregate(MakeUdaf),
}

/// Keeps the first of each singleton that several implementations share (by identity, so two
/// different UDFs of one name both stay, and the name test catches them).
fn dedup<T>(items: &mut Vec<Arc<T>>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(Arc::as_ptr(item).cast::<()>()));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A function's UDF is `kql_<its name>` (its dynamic variant `kql_<name>_dynamic`): a signature
    /// cannot be wired to another function's implementation unnoticed.
    #[test]
    fn every_signature_is_declared_beside_its_own_udf() {
        // Kusto renamed `weekofyear` to `week_of_year`; the UDF keeps the old name.
        let renamed = [("week_of_year", "weekofyear")];
        for function in registry().functions() {
            let name = function.signature.name;
            let base = renamed
                .iter()
                .find(|(kusto, _)| *kusto == name)
                .map_or(name, |(_, udf)| *udf);
            let (udf, dynamic) = match &function.implementation {
                Implementation::Scalar { udf, dynamic } => {
                    (udf().name().to_string(), dynamic.map(|d| d().name().to_string()))
                }
                Implementation::Aggregate { udaf, dynamic } => {
                    (udaf().name().to_string(), dynamic.map(|d| d().name().to_string()))
                }
                _ => continue,
            };
            assert_eq!(udf, format!("kql_{base}"), "the UDF of `{name}`");
            if let Some(dynamic) = dynamic {
                assert_eq!(
                    dynamic,
                    format!("kql_{base}_dynamic"),
                    "the dynamic variant of `{name}`"
                );
            }
        }
    }

    #[test]
    fn conditional_aggregates_filter_an_aggregate_of_the_same_family() {
        for function in registry().functions() {
            if let Implementation::Conditional { base, predicate } = &function.implementation {
                let signature = &function.signature;
                assert_eq!(signature.params[*predicate], kql_types::signature::Param::Bool);
                assert_eq!(base.signature.kind, signature.kind, "{}", signature.name);
                assert!(
                    signature
                        .name
                        .starts_with(base.signature.name.trim_end_matches('_')),
                    "`{}` filters `{}`",
                    signature.name,
                    base.signature.name
                );
            }
        }
    }

    #[test]
    fn no_name_is_declared_twice() {
        let names: Vec<&str> = registry().functions().flat_map(|f| f.signature.names()).collect();
        assert_eq!(
            names.len(),
            registry().names().count(),
            "a function name or alias is declared twice"
        );
        let internal = registry().internal_functions().count();
        assert_eq!(
            internal,
            registry().internal.len(),
            "an internal function is declared twice"
        );
    }

    #[test]
    fn singletons_are_built_once() {
        let strlen = registry().function("strlen").map(|f| &f.implementation);
        let Some(Implementation::Scalar { udf, .. }) = strlen else {
            panic!("strlen is a scalar UDF");
        };
        assert!(Arc::ptr_eq(&udf(), &udf()));
    }
}
