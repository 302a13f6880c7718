//! Before anything runs: the design's sources (generated, or the user's
//! own, connected through [`super::interface`]), its module and interface,
//! and the vector set it is simulated on.

use super::*;

/// The design under test, connected.
pub struct Prepared {
    pub dut: Dut,
    pub interface: Interface,
    pub rtl: String,
    pub notes: Vec<String>,
    pub latency: Latency,
}

/// Connects the generated design or the user's (finding the top and its
/// ports, checking every name) without running anything.
pub fn prepare(m: &Design, opts: &Options) -> Result<Prepared, VerifyError> {
    let flag_bits = opts.flag_port()?.map_or(0, |p| p.bits());
    let default_top = module_name(m.name(), opts.pipeline);
    let (sources, interface, notes, label) = match &opts.user {
        None => {
            let (_, text) = rtl(m, opts.pipeline).map_err(|e| VerifyError::Input(e.to_string()))?;
            (
                Sources::text("design.v", text),
                Interface::generated(&default_top, opts.pipeline > 0),
                Vec::new(),
                "generated".to_string(),
            )
        }
        Some(user) => {
            let label = user
                .sources
                .files
                .iter()
                .map(|f| f.label())
                .collect::<Vec<_>>()
                .join(" ");
            let texts = user
                .sources
                .files
                .iter()
                .map(|f| f.read())
                .collect::<Result<Vec<String>, String>>()
                .map_err(VerifyError::Input)?;
            let types = scan::types(texts.iter().map(String::as_str));
            let modules: Vec<scan::Module> = texts
                .iter()
                .flat_map(|t| scan::modules_with(t, &user.request.params, &types))
                .collect();
            let (top, mut notes) = match interface::choose_top(
                &modules,
                user.request.top.as_deref(),
                &default_top,
                &label,
            ) {
                Ok((top, note)) => (top, note.into_iter().collect::<Vec<_>>()),
                Err(e) => return Err(VerifyError::Input(e)),
            };
            let fixed = match opts.latency {
                Some(Latency::Fixed(l)) => Some(l),
                Some(Latency::Auto) => None,
                None => Some(opts.pipeline),
            };
            let (iface, more) = interface::resolve(
                top,
                &user.request,
                m.width(),
                m.out_width(),
                flag_bits,
                fixed,
            )
            .map_err(VerifyError::Input)?;
            if opts.latency == Some(Latency::Auto) && iface.clock.is_none() {
                notes.push("latency auto: the design has no clock, so its latency is 0".into());
            }
            notes.extend(more);
            (user.sources.clone(), iface, notes, label)
        }
    };
    let latency = match (opts.latency, &opts.user) {
        (Some(l), Some(_)) => l,
        _ => Latency::Fixed(opts.pipeline),
    };
    let depth = match latency {
        Latency::Fixed(l) => l,
        Latency::Auto => 0,
    };
    let dut = Dut {
        top: interface.top.clone(),
        sources,
        wrapper: interface.wrapper(m.width(), m.out_width() + flag_bits),
        width: m.width(),
        out_width: m.out_width() + flag_bits,
        depth,
        reset_cycles: if interface.reset.is_some() {
            opts.reset_cycles
        } else {
            0
        },
        clocked: interface.clock.is_some(),
        copies: opts.copies,
    };
    Ok(Prepared {
        dut,
        interface,
        rtl: label,
        notes,
        latency,
    })
}

/// The pairs to simulate (`None`: the exhaustive sweep), and the file's
/// own results where the pairs come from a file.
type VectorSet = (Option<Vec<(u16, u16)>>, Vec<Option<u32>>);

pub(super) fn vector_set(m: &Design, opts: &Options) -> Result<VectorSet, VerifyError> {
    if let Some(p) = &opts.pairs {
        return Ok((Some(p.clone()), Vec::new()));
    }
    if let Some(path) = &opts.vectors_file {
        let f = vectors_file::read(path, m.name(), m.width(), m.out_width())
            .map_err(VerifyError::Input)?;
        return Ok((Some(f.pairs), f.expected));
    }
    let small = vectors::exhaustive_by_default(m.reference);
    if opts.exhaustive && !small {
        if opts.flag_port()?.is_some() {
            return Err(VerifyError::Input(
                "--exhaustive with --flags: the exhaustive sweep reads 16-bit results only; check the flags on the default vectors or a --vectors count".into(),
            ));
        }
        if m.width() != 16 || m.out_width() != 16 {
            return Err(VerifyError::Input(format!(
                "{}: the exhaustive sweep needs 16-bit operands and results",
                m.name()
            )));
        }
        return Ok((None, Vec::new()));
    }
    Ok((
        Some(vectors::default_set(m.reference, opts.vectors, opts.seed)),
        Vec::new(),
    ))
}
