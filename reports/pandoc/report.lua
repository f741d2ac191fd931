-- The year-end report's pandoc filter, for every output (HTML for the preview and the PDF, and Word).
--
-- 1. A div with a `shift` attribute holds Markdown someone typed: its headings are demoted by `shift`,
--    so a facilitator's "# Background" sits under the report's own heading.
-- 2. Heading levels never skip: a heading is at most one level below the one before it. The first
--    heading's level is the metadata field `heading-base` (1 for Word, 2 for HTML under the page's h1).
-- 3. Images are the report's own figures only (data: addresses the pipeline put there): any other
--    image becomes its description, so typed text can neither read a file nor reach the network.

local function shift_headings(div)
  local shift = tonumber(div.attributes.shift)
  if shift == nil then
    return nil
  end
  div.attributes.shift = nil
  return div:walk({
    Header = function(header)
      header.level = header.level + shift
      return header
    end,
  })
end

local function only_own_figures(image)
  if image.src:sub(1, 5) == "data:" then
    return nil
  end
  return image.caption
end

function Pandoc(doc)
  local base = tonumber(pandoc.utils.stringify(doc.meta["heading-base"] or "1")) or 1
  doc.blocks = doc.blocks:walk({ Div = shift_headings })
  local previous = base - 1
  doc.blocks = doc.blocks:walk({
    Header = function(header)
      local level = header.level + base - 1
      if level > previous + 1 then
        level = previous + 1
      end
      header.level = level
      previous = level
      return header
    end,
    Image = only_own_figures,
  })
  return doc
end
