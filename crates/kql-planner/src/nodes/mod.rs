//! Custom plan nodes, for operators no standard DataFusion node can express. There are two: `scan`
//! (its steps read state that changes row by row) and `expand-chunks` (cuts rows before `mv-expand`'s
//! unnest so that no row expands past a bounded size). Each node needs a physical planner here and,
//! for a distributed executor, a codec; keep them few.

mod expand_chunks;
mod scan;

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::catalog::Session;
use datafusion::common::Result;
use datafusion::execution::context::QueryPlanner;
use datafusion::logical_expr::{LogicalPlan, UserDefinedLogicalNode};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_planner::{DefaultPhysicalPlanner, ExtensionPlanner, PhysicalPlanner};

pub use expand_chunks::ExpandChunksExec;
pub(crate) use expand_chunks::ExpandChunksNode;
pub(crate) use scan::ScanNode;
pub use scan::{ScanExec, ScanProgram, StateColumn, StepExpr, StepProgram};

/// DataFusion's physical planner, knowing torhunt's nodes. Sessions that run KQL plans use it
/// (`SessionStateBuilder::with_query_planner`).
#[derive(Debug, Default)]
pub struct KqlQueryPlanner;

#[async_trait]
impl QueryPlanner for KqlQueryPlanner {
    async fn create_physical_plan(
        &self,
        logical_plan: &LogicalPlan,
        session: &dyn Session,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        DefaultPhysicalPlanner::with_extension_planners(vec![Arc::new(KqlNodePlanner)])
            .create_physical_plan(logical_plan, session)
            .await
    }
}

struct KqlNodePlanner;

#[async_trait]
impl ExtensionPlanner for KqlNodePlanner {
    async fn plan_extension(
        &self,
        _planner: &dyn PhysicalPlanner,
        node: &dyn UserDefinedLogicalNode,
        _logical_inputs: &[&LogicalPlan],
        physical_inputs: &[Arc<dyn ExecutionPlan>],
        session: &dyn Session,
        _planning_ctx: &datafusion::logical_expr::physical_planning_context::PhysicalPlanningContext,
    ) -> Result<Option<Arc<dyn ExecutionPlan>>> {
        let only_input = || match physical_inputs {
            [input] => Ok(input),
            _ => datafusion::common::internal_err!("{} has one input", node.name()),
        };
        if let Some(chunks) = node.as_any().downcast_ref::<ExpandChunksNode>() {
            let exec = expand_chunks::ExpandChunksExec::try_new(only_input()?.clone(), chunks.lists())?;
            return Ok(Some(Arc::new(exec)));
        }
        let Some(scan) = node.as_any().downcast_ref::<ScanNode>() else {
            return Ok(None);
        };
        let input = only_input()?;
        let output_schema = Arc::new(scan.schema().as_arrow().clone());
        let exec = scan::ScanExec::try_new(
            input.clone(),
            scan.program().clone(),
            output_schema,
            |expr, schema| session.create_physical_expr(expr.clone(), schema),
        )?;
        Ok(Some(Arc::new(exec)))
    }
}
