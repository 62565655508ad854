//! `[[scene]]`: the interfaces that belong together (eftPay's web, qrcode, app, cashier …
//! pages). Every interface belongs to a scene, and a scene has at most one interface per
//! purpose, so "the scene's refund" means one interface.

use super::Resolver;
use crate::model::Scene;
use crate::schema::Document;
use crate::suggest::suggest;

impl Resolver<'_> {
    pub(super) fn scenes(&mut self, docs: &[(usize, Document)]) {
        for (file, doc) in docs {
            for def in &doc.scene {
                let name = def.name.get_ref().clone();
                if !crate::names::is_snake_name(&name) {
                    self.err(
                        *file,
                        &def.name,
                        format!("scene name `{name}` is not a snake_case name"),
                        "use lowercase letters, digits and `_`, starting with a letter, e.g. `qrcode`",
                    );
                    continue;
                }
                if self.spec.scenes.iter().any(|s| s.name == name) {
                    self.err(*file, &def.name, format!("scene `{name}` is declared twice"), "remove one of them");
                    continue;
                }
                let mut interfaces: Vec<usize> = Vec::new();
                for at in &def.interfaces {
                    let Some(id) = self.spec.interfaces.iter().position(|i| i.name == *at.get_ref()) else {
                        let known: Vec<String> = self.spec.interfaces.iter().map(|i| i.name.clone()).collect();
                        let help = suggest(at.get_ref(), &known);
                        self.report_missing(
                            format!("interface {}", at.get_ref()),
                            *file,
                            at,
                            format!("scene `{name}` lists unknown interface `{}`", at.get_ref()),
                            help,
                        );
                        continue;
                    };
                    let purpose = self.spec.interfaces.get(id).map(|i| i.purpose);
                    let twin = interfaces
                        .iter()
                        .filter_map(|other| self.spec.interfaces.get(*other))
                        .find(|other| Some(other.purpose) == purpose)
                        .map(|other| other.name.clone());
                    if let Some(twin) = twin {
                        self.err(
                            *file,
                            at,
                            format!(
                                "scene `{name}` has two {} interfaces: `{twin}` and `{}`",
                                purpose.map(|p| p.name()).unwrap_or_default(),
                                at.get_ref()
                            ),
                            "a scene has one interface per purpose; put the other in a scene of its own",
                        );
                        continue;
                    }
                    interfaces.push(id);
                }
                self.spec.scenes.push(Scene { name, doc: def.doc.get_ref().clone(), interfaces });
            }
        }
        // An interface a [[scene]] lists is no orphan even when that scene or that entry was
        // refused above: the error already reported is the one to fix.
        let listed: Vec<&str> = docs
            .iter()
            .flat_map(|(_, doc)| &doc.scene)
            .flat_map(|scene| &scene.interfaces)
            .map(|at| at.get_ref().as_str())
            .collect();
        let orphans: Vec<String> = self
            .spec
            .interfaces
            .iter()
            .filter(|i| !listed.contains(&i.name.as_str()))
            .map(|i| i.name.clone())
            .collect();
        for orphan in orphans {
            let place = docs.iter().find_map(|(file, doc)| {
                let def = doc.interface.as_ref()?.get_ref();
                (*def.name.get_ref() == orphan).then_some((*file, def.name.span()))
            });
            if let Some((file, span)) = place {
                self.err_at(
                    file,
                    span,
                    format!("interface `{orphan}` belongs to no scene"),
                    "list it in the `interfaces` of a [[scene]] (spec/scenes.toml)",
                );
            }
        }
    }
}
