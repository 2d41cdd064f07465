<?xml version="1.0" encoding="UTF-8"?>
<tileset version="1.10" tiledversion="1.10.2" name="terrain" tilewidth="32" tileheight="32" tilecount="96" columns="16">
 <image source="terrain.png" width="512" height="192"/>
 <tile id="0" type="grass">
  <properties>
   <property name="crawl" value="FLOOR_GRASS"/>
  </properties>
 </tile>
 <tile id="1" type="grass">
  <properties>
   <property name="crawl" value="FLOOR_GRASS_1"/>
  </properties>
 </tile>
 <tile id="2" type="grass">
  <properties>
   <property name="crawl" value="FLOOR_GRASS_2"/>
  </properties>
 </tile>
 <tile id="3" type="grass">
  <properties>
   <property name="crawl" value="FLOOR_GRASS_3"/>
  </properties>
 </tile>
 <tile id="4" type="grass">
  <properties>
   <property name="crawl" value="FLOOR_GRASS_4"/>
  </properties>
 </tile>
 <tile id="5" type="grass">
  <properties>
   <property name="crawl" value="FLOOR_GRASS_5"/>
  </properties>
 </tile>
 <tile id="6" type="flowers">
  <properties>
   <property name="crawl" value="FLOOR_GRASS_9"/>
  </properties>
 </tile>
 <tile id="7" type="flowers">
  <properties>
   <property name="crawl" value="FLOOR_GRASS_11"/>
  </properties>
 </tile>
 <tile id="8" type="meadow">
  <properties>
   <property name="crawl" value="FLOOR_GRASS_DIRT_MIX"/>
  </properties>
 </tile>
 <tile id="9" type="meadow">
  <properties>
   <property name="crawl" value="FLOOR_GRASS_DIRT_MIX_1"/>
  </properties>
 </tile>
 <tile id="10" type="forest-floor">
  <properties>
   <property name="crawl" value="FLOOR_WOODGROUND"/>
  </properties>
 </tile>
 <tile id="11" type="forest-floor">
  <properties>
   <property name="crawl" value="FLOOR_WOODGROUND_1"/>
  </properties>
 </tile>
 <tile id="12" type="forest-floor">
  <properties>
   <property name="crawl" value="FLOOR_WOODGROUND_2"/>
  </properties>
 </tile>
 <tile id="13" type="mud">
  <properties>
   <property name="crawl" value="FLOOR_MUD"/>
  </properties>
 </tile>
 <tile id="14" type="moss">
  <properties>
   <property name="crawl" value="FLOOR_MOSS"/>
  </properties>
 </tile>
 <tile id="15" type="sand">
  <properties>
   <property name="crawl" value="FLOOR_SAND"/>
  </properties>
 </tile>
 <tile id="16" type="path-n">
  <properties>
   <property name="crawl" value="HALO_GRASS"/>
  </properties>
 </tile>
 <tile id="17" type="path-ne">
  <properties>
   <property name="crawl" value="HALO_GRASS_1"/>
  </properties>
 </tile>
 <tile id="18" type="path-e">
  <properties>
   <property name="crawl" value="HALO_GRASS_2"/>
  </properties>
 </tile>
 <tile id="19" type="path-se">
  <properties>
   <property name="crawl" value="HALO_GRASS_3"/>
  </properties>
 </tile>
 <tile id="20" type="path-s">
  <properties>
   <property name="crawl" value="HALO_GRASS_4"/>
  </properties>
 </tile>
 <tile id="21" type="path-sw">
  <properties>
   <property name="crawl" value="HALO_GRASS_5"/>
  </properties>
 </tile>
 <tile id="22" type="path-w">
  <properties>
   <property name="crawl" value="HALO_GRASS_6"/>
  </properties>
 </tile>
 <tile id="23" type="path-nw">
  <properties>
   <property name="crawl" value="HALO_GRASS_7"/>
  </properties>
 </tile>
 <tile id="24" type="path">
  <properties>
   <property name="crawl" value="HALO_GRASS_8"/>
  </properties>
 </tile>
 <tile id="25" type="dirt">
  <properties>
   <property name="crawl" value="FLOOR_DIRT"/>
  </properties>
 </tile>
 <tile id="26" type="dirt">
  <properties>
   <property name="crawl" value="FLOOR_DIRT_1"/>
  </properties>
 </tile>
 <tile id="27" type="dirt">
  <properties>
   <property name="crawl" value="FLOOR_DIRT_2"/>
  </properties>
 </tile>
 <tile id="28" type="street">
  <properties>
   <property name="crawl" value="FLOOR_LIMESTONE"/>
  </properties>
 </tile>
 <tile id="29" type="street">
  <properties>
   <property name="crawl" value="FLOOR_LIMESTONE_1"/>
  </properties>
 </tile>
 <tile id="30" type="street">
  <properties>
   <property name="crawl" value="FLOOR_LIMESTONE_2"/>
  </properties>
 </tile>
 <tile id="31" type="floor-stone">
  <properties>
   <property name="crawl" value="FLOOR_SANDSTONE"/>
  </properties>
 </tile>
 <tile id="32" type="floor-wood">
  <properties>
   <property name="crawl" value="FLOOR_ROUGH_BROWN"/>
  </properties>
 </tile>
 <tile id="33" type="cobbles">
  <properties>
   <property name="crawl" value="FLOOR_PEBBLE"/>
  </properties>
 </tile>
 <tile id="34" type="cobbles">
  <properties>
   <property name="crawl" value="FLOOR_PEBBLE_1"/>
  </properties>
 </tile>
 <tile id="35" type="cobbles">
  <properties>
   <property name="crawl" value="FLOOR_PEBBLE_2"/>
  </properties>
 </tile>
 <tile id="36" type="floor-crypt">
  <properties>
   <property name="crawl" value="FLOOR_CRYPT"/>
  </properties>
 </tile>
 <tile id="37" type="floor-tomb">
  <properties>
   <property name="crawl" value="FLOOR_TOMB"/>
  </properties>
 </tile>
 <tile id="38" type="floor-marble">
  <properties>
   <property name="crawl" value="FLOOR_W_MARBLE"/>
  </properties>
 </tile>
 <tile id="39" type="shallow-water">
  <properties>
   <property name="crawl" value="DNGN_SHALLOW_WATER"/>
  </properties>
 </tile>
 <tile id="40" type="shallow-water">
  <properties>
   <property name="crawl" value="DNGN_SHALLOW_WATER_1"/>
  </properties>
 </tile>
 <tile id="41" type="deep-water">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_DEEP_WATER"/>
  </properties>
 </tile>
 <tile id="42" type="deep-water">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_DEEP_WATER_1"/>
  </properties>
 </tile>
 <tile id="43" type="town-wall">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_BRICK_LIGHTGRAY"/>
  </properties>
 </tile>
 <tile id="44" type="town-wall">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_BRICK_LIGHTGRAY_1"/>
  </properties>
 </tile>
 <tile id="45" type="town-wall">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_BRICK_LIGHTGRAY_2"/>
  </properties>
 </tile>
 <tile id="46" type="house-wall">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_BRICK"/>
  </properties>
 </tile>
 <tile id="47" type="house-wall">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_BRICK_1"/>
  </properties>
 </tile>
 <tile id="48" type="house-wall">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_BRICK_2"/>
  </properties>
 </tile>
 <tile id="49" type="ruin-wall">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_STONE_MOSSY"/>
  </properties>
 </tile>
 <tile id="50" type="ruin-wall">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_STONE_MOSSY_1"/>
  </properties>
 </tile>
 <tile id="51" type="ruin-wall">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_STONE_MOSSY_2"/>
  </properties>
 </tile>
 <tile id="52" type="ruin-wall">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_STONE_MOSSY_3"/>
  </properties>
 </tile>
 <tile id="53" type="crypt-wall">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_CATACOMBS"/>
  </properties>
 </tile>
 <tile id="54" type="boulder">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_PEBBLE_LIGHTGRAY"/>
  </properties>
 </tile>
 <tile id="55" type="boulder">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_PEBBLE_LIGHTGRAY_1"/>
  </properties>
 </tile>
 <tile id="56" type="rock">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_PEBBLE_BROWN"/>
  </properties>
 </tile>
 <tile id="57" type="palisade">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="WALL_BARS_BROWN"/>
  </properties>
 </tile>
 <tile id="58" type="roof-red">
  <properties>
   <property name="crawl" value="WALL_ZOT_RED"/>
  </properties>
 </tile>
 <tile id="59" type="roof-red">
  <properties>
   <property name="crawl" value="WALL_ZOT_RED_1"/>
  </properties>
 </tile>
 <tile id="60" type="roof-thatch">
  <properties>
   <property name="crawl" value="WALL_ZOT_BROWN"/>
  </properties>
 </tile>
 <tile id="61" type="roof-thatch">
  <properties>
   <property name="crawl" value="WALL_ZOT_BROWN_1"/>
  </properties>
 </tile>
 <tile id="62" type="tree">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_TREE"/>
  </properties>
 </tile>
 <tile id="63" type="tree">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_TREE_1"/>
  </properties>
 </tile>
 <tile id="64" type="tree">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_TREE_2"/>
  </properties>
 </tile>
 <tile id="65" type="tree">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_TREE_3"/>
  </properties>
 </tile>
 <tile id="66" type="tree">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_TREE_4"/>
  </properties>
 </tile>
 <tile id="67" type="pine">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_TREE_6"/>
  </properties>
 </tile>
 <tile id="68" type="tree">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_TREE_8"/>
  </properties>
 </tile>
 <tile id="69" type="tree-autumn">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_TREE_YELLOW"/>
  </properties>
 </tile>
 <tile id="70" type="tree-autumn">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_TREE_YELLOW_2"/>
  </properties>
 </tile>
 <tile id="71" type="tree-dead">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_TREE_DEAD"/>
  </properties>
 </tile>
 <tile id="72" type="tree-dead">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_TREE_DEAD_1"/>
  </properties>
 </tile>
 <tile id="73" type="bush">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="MONS_BUSH"/>
  </properties>
 </tile>
 <tile id="74" type="bush">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="MONS_BUSH_1"/>
  </properties>
 </tile>
 <tile id="75" type="door-closed">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_CLOSED_DOOR"/>
  </properties>
 </tile>
 <tile id="76" type="door-open">
  <properties>
   <property name="crawl" value="DNGN_OPEN_DOOR"/>
  </properties>
 </tile>
 <tile id="77" type="gate-left">
  <properties>
   <property name="crawl" value="DNGN_GATE_OPEN_LEFT"/>
  </properties>
 </tile>
 <tile id="78" type="gate-middle">
  <properties>
   <property name="crawl" value="DNGN_GATE_OPEN_MIDDLE"/>
  </properties>
 </tile>
 <tile id="79" type="gate-right">
  <properties>
   <property name="crawl" value="DNGN_GATE_OPEN_RIGHT"/>
  </properties>
 </tile>
 <tile id="80" type="door-crypt">
  <properties>
   <property name="crawl" value="DNGN_OPEN_DOOR_CRYPT"/>
  </properties>
 </tile>
 <tile id="81" type="arch">
  <properties>
   <property name="crawl" value="DNGN_STONE_ARCH"/>
  </properties>
 </tile>
 <tile id="82" type="fountain">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_FOUNTAIN"/>
  </properties>
 </tile>
 <tile id="83" type="grave">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_GRAVESTONE"/>
  </properties>
 </tile>
 <tile id="84" type="grave">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_GRAVESTONE_1"/>
  </properties>
 </tile>
 <tile id="85" type="grave">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_GRAVESTONE_2"/>
  </properties>
 </tile>
 <tile id="86" type="statue">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_GRANITE_STATUE"/>
  </properties>
 </tile>
 <tile id="87" type="statue">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_STATUE_SWORD"/>
  </properties>
 </tile>
 <tile id="88" type="statue">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="DNGN_STATUE_ANCIENT_HERO"/>
  </properties>
 </tile>
 <tile id="89" type="shop-general">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="SHOP_GENERAL"/>
  </properties>
 </tile>
 <tile id="90" type="shop-weapons">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="SHOP_WEAPONS"/>
  </properties>
 </tile>
 <tile id="91" type="shop-armour">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="SHOP_ARMOUR"/>
  </properties>
 </tile>
 <tile id="92" type="shop-potions">
  <properties>
   <property name="collides" type="bool" value="true"/>
   <property name="crawl" value="SHOP_POTIONS"/>
  </properties>
 </tile>
 <tile id="93" type="canopy">
  <properties>
   <property name="crawl" value="DNGN_TREE_1"/>
  </properties>
 </tile>
 <tile id="94" type="canopy">
  <properties>
   <property name="crawl" value="DNGN_TREE_3"/>
  </properties>
 </tile>
 <tile id="95" type="canopy">
  <properties>
   <property name="crawl" value="DNGN_TREE_8"/>
  </properties>
 </tile>
</tileset>
