//! (being written)

use super::{Ctx, Placed, PlanRecord};

pub fn extract(_ctx: &Ctx, _rec: &mut PlanRecord, _placed: &mut Placed) {}
