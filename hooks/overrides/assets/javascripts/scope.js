// Material 9.8's page-scope helpers (partials/javascripts/base.html); the scope is the site root.
__md_scope=new URL("../..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
// The theme's icons are <svg><use href="…/icons.svg#id"></svg> references (scripts/arxiv_digest/site/compact.py).
// Instant navigation rewrites every [href] through the element's `href` property, which is
// read-only on <use>: give it a string property that reads and writes the attribute.
Object.defineProperty(SVGUseElement.prototype, "href", {
  configurable: true,
  get() { return new URL(this.getAttribute("href") || "", document.baseURI).href },
  set(value) { this.setAttribute("href", value) },
})
