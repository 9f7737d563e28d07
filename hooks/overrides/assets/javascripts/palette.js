{#- Rendered by MkDocs as a static template (mkdocs.yml, theme.static_templates): the palette
    form (Material 9.8's partials/palette.html) is written here, in one cached file, instead of
    into every page's HTML; without JavaScript the form does nothing anyway. This script runs
    where the header loads it, so the form is in place before Material's deferred bundle looks
    for it (data-md-component="palette"). -#}
{%- set form -%}
<form class="md-header__option" data-md-component="palette">
{%- for option in config.theme.palette -%}
<input class="md-option" data-md-color-media="{{ option.media }}" data-md-color-scheme="{{ option.scheme | d('default', true) | replace(' ', '-') }}" data-md-color-primary="{{ option.primary | d('indigo', true) | replace(' ', '-') }}" data-md-color-accent="{{ option.accent | d('indigo', true) | replace(' ', '-') }}" {% if option.toggle %}aria-label="{{ option.toggle.name | e }}"{% else %}aria-hidden="true"{% endif %} type="radio" name="__palette" id="__palette_{{ loop.index0 }}">
{%- if option.toggle -%}
<label class="md-header__button md-icon" title="{{ option.toggle.name | e }}" for="__palette_{{ loop.index % loop.length }}" hidden>{% include ".icons/" ~ option.toggle.icon ~ ".svg" %}</label>
{%- endif -%}
{%- endfor -%}
</form>
{%- endset -%}
// Material 9.8's palette form and palette restore (partials/palette.html, partials/javascripts/palette.html).
document.currentScript.insertAdjacentHTML("beforebegin",{{ form | tojson }});
{% raw -%}
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
{%- endraw %}
