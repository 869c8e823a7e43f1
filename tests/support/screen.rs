//! A browser stand-in for screen tests: a VirtualDom with a tiny DOM that knows elements by
//! their `id`, driven by real events (typing, clicks, submits); and rendered HTML as text.
#![allow(dead_code)]

use std::any::Any;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use dioxus::dioxus_core::{
    AttributeValue, ElementId, Event, Template, TemplateAttribute, TemplateNode, WriteMutations,
};
use dioxus::html::{PlatformEventData, SerializedFormData, SerializedHtmlEventConverter, SerializedMouseData};
use dioxus::prelude::*;

/// The text of rendered HTML with the entities dioxus-ssr writes turned back into characters.
pub fn text(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[derive(Default)]
pub struct Dom {
    by_id: HashMap<String, ElementId>,
    root: Option<&'static TemplateNode>,
}

impl Dom {
    fn note(&mut self, node: &'static TemplateNode, el: ElementId) {
        if let TemplateNode::Element { attrs, .. } = node {
            for a in attrs.iter() {
                if let TemplateAttribute::Static { name: "id", value, .. } = a {
                    self.by_id.insert((*value).to_owned(), el);
                }
            }
        }
    }

    pub fn get(&self, id: &str) -> ElementId {
        *self.by_id.get(id).unwrap_or_else(|| panic!("no element #{id} on screen"))
    }
}

impl WriteMutations for Dom {
    fn append_children(&mut self, _: ElementId, _: usize) {}
    fn assign_node_id(&mut self, path: &'static [u8], id: ElementId) {
        let mut node = self.root;
        for &i in path {
            node = match node {
                Some(TemplateNode::Element { children, .. }) => children.get(usize::from(i)),
                _ => None,
            };
        }
        if let Some(n) = node {
            self.note(n, id);
        }
    }
    fn create_placeholder(&mut self, _: ElementId) {}
    fn create_text_node(&mut self, _: &str, _: ElementId) {}
    fn load_template(&mut self, template: Template, index: usize, id: ElementId) {
        let root = &template.roots[index];
        self.root = Some(root);
        self.note(root, id);
    }
    fn replace_node_with(&mut self, _: ElementId, _: usize) {}
    fn replace_placeholder_with_nodes(&mut self, _: &'static [u8], _: usize) {}
    fn insert_nodes_after(&mut self, _: ElementId, _: usize) {}
    fn insert_nodes_before(&mut self, _: ElementId, _: usize) {}
    fn set_attribute(&mut self, name: &'static str, _: Option<&'static str>, value: &AttributeValue, id: ElementId) {
        if let ("id", AttributeValue::Text(v)) = (name, value) {
            self.by_id.insert(v.clone(), id);
        }
    }
    fn set_node_text(&mut self, _: &str, _: ElementId) {}
    fn create_event_listener(&mut self, _: &'static str, _: ElementId) {}
    fn remove_event_listener(&mut self, _: &'static str, _: ElementId) {}
    fn remove_node(&mut self, _: ElementId) {}
    fn push_root(&mut self, _: ElementId) {}
}

/// A VirtualDom with its tiny DOM, driven by events as a browser would.
pub struct Screen {
    pub vdom: VirtualDom,
    pub dom: Dom,
}

impl Screen {
    pub fn new(vdom: VirtualDom) -> Self {
        dioxus::html::set_event_converter(Box::new(SerializedHtmlEventConverter));
        let mut s = Screen { vdom, dom: Dom::default() };
        s.vdom.rebuild(&mut s.dom);
        s
    }

    pub fn html(&self) -> String {
        text(&dioxus_ssr::render(&self.vdom))
    }

    pub fn fire(&mut self, name: &str, element: &str, data: Box<dyn Any>) {
        let el = self.dom.get(element);
        let event = Event::new(Rc::new(PlatformEventData::new(data)) as Rc<dyn Any>, true);
        self.vdom.runtime().handle_event(name, event, el);
        self.vdom.render_immediate(&mut self.dom);
    }

    pub fn type_in(&mut self, element: &str, value: &str) {
        self.fire("input", element, Box::new(SerializedFormData::new(value.to_owned(), vec![])));
    }

    pub fn choose(&mut self, element: &str, value: &str) {
        self.fire("change", element, Box::new(SerializedFormData::new(value.to_owned(), vec![])));
    }

    pub fn submit(&mut self, form: &str) {
        self.fire("submit", form, Box::new(SerializedFormData::new(String::new(), vec![])));
    }

    pub fn click(&mut self, element: &str) {
        self.fire("click", element, Box::new(SerializedMouseData::default()));
    }

    /// Lets tasks run until the screen shows `wanted`, or fails after 20 s: a bound on a
    /// wait, not a speed check, so a loaded CI machine only makes it slower.
    pub async fn until(&mut self, wanted: &str) -> String {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while std::time::Instant::now() < deadline {
            let html = self.html();
            if html.contains(wanted) {
                return html;
            }
            let _ = tokio::time::timeout(Duration::from_millis(25), self.vdom.wait_for_work()).await;
            self.vdom.render_immediate(&mut self.dom);
        }
        panic!("the screen never showed {wanted:?}:\n{}", self.html());
    }
}
